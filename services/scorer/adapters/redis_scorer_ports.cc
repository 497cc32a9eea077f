#include "services/scorer/adapters/redis_scorer_ports.h"

#include <chrono>
#include <map>

#include "absl/strings/numbers.h"
#include "lib/contract/paper_fate.h"
#include "lib/contract/run_manifest.h"
#include "lib/contract/stream_entries.h"
#include "lib/core/ids.h"
#include "lib/json/json_util.h"
#include "lib/redis/keys.h"

namespace arxiv_digest {

absl::Status RedisScoreSink::AppendScore(const std::string& run_id,
                                         const std::string& model,
                                         const Score& score) {
  absl::StatusOr<RunId> id = RunId::Parse(run_id);
  if (!id.ok()) return id.status();
  return redis_
      .XAdd(keys::ScoresStream(),
            contract::EncodeScoreEntry({*std::move(id), model, score}))
      .status();
}

absl::Status RedisScoreSink::AppendUsage(const std::string& run_id,
                                         const std::string& call_id,
                                         const std::string& model,
                                         const TokenUsage& usage) {
  absl::StatusOr<RunId> id = RunId::Parse(run_id);
  if (!id.ok()) return id.status();
  return redis_
      .XAdd(keys::ScoresStream(),
            contract::EncodeUsageEntry({*std::move(id), call_id, model, usage}))
      .status();
}

absl::Status RedisScoreSink::RecordFates(
    const std::string& run_id, const std::vector<contract::PaperFate>& fates) {
  if (fates.empty()) return absl::OkStatus();
  std::vector<std::string> args = {"HSET", keys::RunFates(run_id)};
  for (const contract::PaperFate& f : fates) {
    args.push_back(f.arxiv_id);
    args.push_back(contract::EncodePaperFate(f));
  }
  if (absl::StatusOr<RedisReply> r = redis_.Command(args); !r.ok()) {
    return r.status();
  }
  return redis_
      .Command({"EXPIRE", keys::RunFates(run_id),
                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                   kRunFatesTtl)
                                   .count())})
      .status();
}

absl::StatusOr<int64_t> RedisRunInfo::RunPaperCount(const std::string& run_id) {
  // The manifest's papers_to_score is written before the first paper is
  // appended (fetched and derived runs alike); the papers hash grows while
  // the fetcher appends, so a read that early would size the adaptive
  // batches for a smaller day and pay for more calls.
  absl::StatusOr<std::optional<std::string>> declared = redis_.HGet(
      keys::Run(run_id), std::string(contract::manifest_field::kPapersToScore));
  if (!declared.ok()) return declared.status();
  int64_t count = 0;
  if (declared->has_value() && absl::SimpleAtoi(**declared, &count) &&
      count > 0) {
    return count;
  }
  return redis_.HLen(keys::RunPapers(run_id));
}

absl::StatusOr<std::optional<int>> RedisRunInfo::LoadPrefilterThreshold(
    const std::string& run_id) {
  absl::StatusOr<std::optional<std::string>> stored =
      redis_.Get(keys::RunPrefilterThreshold(run_id));
  if (!stored.ok()) return stored.status();
  int threshold = 0;
  if (stored->has_value() && absl::SimpleAtoi(**stored, &threshold)) {
    return threshold;
  }
  return std::nullopt;
}

absl::StatusOr<bool> RedisRunInfo::StorePrefilterThresholdIfAbsent(
    const std::string& run_id, int threshold) {
  return redis_.SetIfAbsent(keys::RunPrefilterThreshold(run_id),
                            std::to_string(threshold),
                            std::chrono::hours(24 * 7));
}

absl::StatusOr<std::vector<Paper>> RedisRunInfo::RunPapers(
    const std::string& run_id) {
  absl::StatusOr<std::map<std::string, std::string>> papers =
      redis_.HGetAll(keys::RunPapers(run_id));
  if (!papers.ok()) return papers.status();
  std::vector<Paper> out;
  out.reserve(papers->size());
  for (const auto& [id, json] : *papers) {
    if (absl::StatusOr<Paper> p = PaperFromJson(json); p.ok()) {
      out.push_back(*std::move(p));
    }
  }
  return out;
}

}  // namespace arxiv_digest
