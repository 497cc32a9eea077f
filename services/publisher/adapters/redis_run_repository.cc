#include "services/publisher/adapters/redis_run_repository.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <vector>

#include "lib/contract/run_manifest.h"
#include "lib/core/paper.h"
#include "lib/redis/keys.h"

namespace arxiv_digest {
namespace {

namespace field = contract::manifest_field;

// A publisher that dies holding the lock delays the run by at most this.
constexpr std::chrono::minutes kPublishLockTtl{2};

}  // namespace

absl::StatusOr<RunState> RedisRunRepository::LoadManifest(
    const std::string& run_id) {
  absl::StatusOr<std::map<std::string, std::string>> m =
      redis_.HGetAll(keys::Run(run_id));
  if (!m.ok()) return m.status();
  RunState run;
  run.run_id = run_id;
  absl::StatusOr<RunManifest> manifest = contract::DecodeManifest(*m);
  if (!manifest.ok()) {
    // Nothing read from it is used; the status only if it is a known one,
    // so a finished run is left alone.
    auto status = m->find(field::kStatus);
    if (status != m->end() && contract::IsKnownRunStatus(status->second)) {
      run.status = status->second;
    }
    run.invalid = std::string(manifest.status().message());
    return run;
  }
  run.status = manifest->status;
  run.date = manifest->date;
  run.profile = manifest->profile;
  run.model = manifest->model;
  run.topics_override = manifest->topics_override;
  // Counts not written yet read as -1 (DecodeManifest leaves them at 0).
  auto count = [&](const char* name, int64_t value) -> int64_t {
    return m->count(name) ? value : -1;
  };
  run.total_papers = count(field::kTotalPapers, manifest->total_papers);
  run.scanned_papers = count(field::kScannedPapers, manifest->scanned_papers);
  run.papers_to_score = count(field::kPapersToScore, manifest->papers_to_score);
  return run;
}

absl::StatusOr<int64_t> RedisRunRepository::CountScores(
    const std::string& run_id) {
  return redis_.HLen(keys::RunScores(run_id));
}

absl::StatusOr<RunRecords> RedisRunRepository::LoadRecords(
    const std::string& run_id) {
  RunRecords records;
  for (auto [key, target] :
       {std::pair{keys::RunPapers(run_id), &records.papers},
        std::pair{keys::RunScores(run_id), &records.scores},
        std::pair{keys::RunUsage(run_id), &records.usage}}) {
    absl::StatusOr<std::map<std::string, std::string>> hash =
        redis_.HGetAll(key);
    if (!hash.ok()) return hash.status();
    *target = *std::move(hash);
  }
  absl::StatusOr<std::map<std::string, std::string>> fates =
      LoadFates(run_id, records.papers);
  if (!fates.ok()) return fates.status();
  records.fates = *std::move(fates);
  return records;
}

absl::StatusOr<std::map<std::string, std::string>>
RedisRunRepository::LoadFates(
    const std::string& run_id,
    const std::map<std::string, std::string>& papers) {
  // Only the run's own papers, at most kMaxFates of them, in HMGET chunks:
  // a fates hash that grew by mistake (or was written by someone else)
  // never makes the publisher read more than the run it publishes.
  std::map<std::string, std::string> fates;
  std::vector<std::string> ids;
  for (const auto& [id, json] : papers) {
    if (ids.size() >= kMaxFates) break;
    ids.push_back(id);
  }
  const std::string key = keys::RunFates(run_id);
  for (size_t begin = 0; begin < ids.size(); begin += kFatesChunk) {
    const size_t end = std::min(ids.size(), begin + kFatesChunk);
    std::vector<std::string> args = {"HMGET", key};
    args.insert(args.end(), ids.begin() + static_cast<std::ptrdiff_t>(begin),
                ids.begin() + static_cast<std::ptrdiff_t>(end));
    absl::StatusOr<RedisReply> reply = redis_.Command(args);
    if (!reply.ok()) return reply.status();
    if (reply->type != RedisReply::Type::kArray ||
        reply->elements.size() != end - begin) {
      return absl::InternalError("HMGET of the run's fates: unexpected reply");
    }
    for (size_t i = begin; i < end; ++i) {
      const RedisReply& value = reply->elements[i - begin];
      if (value.type == RedisReply::Type::kString) {
        fates.emplace(ids[i], value.str);
      }
    }
  }
  return fates;
}

absl::Status RedisRunRepository::MarkFailed(const std::string& run_id,
                                            const std::string& error) {
  RunManifest failed;
  failed.status = run_status::kFailed;
  failed.error = error;
  if (absl::Status s = redis_.HSet(
          keys::Run(run_id),
          contract::EncodeManifest(failed, contract::kFailedFields));
      !s.ok()) {
    return s;
  }
  return ExpireRun(run_id);
}

absl::Status RedisRunRepository::MarkPublished(
    const std::string& run_id,
    const std::vector<std::pair<std::string, std::string>>& fields) {
  if (absl::Status s = redis_.HSet(keys::Run(run_id), fields); !s.ok()) {
    return s;
  }
  return ExpireRun(run_id);
}

absl::Status RedisRunRepository::ExpireRun(const std::string& run_id) {
  const std::string ttl =
      std::to_string(std::max<int64_t>(1, run_ttl_.count()));
  for (const std::string& key : keys::RunKeys(run_id)) {
    if (absl::Status s = redis_.Command({"EXPIRE", key, ttl}).status();
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> RedisRunRepository::TryLockPublish(
    const std::string& run_id) {
  return redis_.SetIfAbsent(keys::RunPublishLock(run_id), "1", kPublishLockTtl);
}

void RedisRunRepository::ReleasePublish(const std::string& run_id) {
  redis_.Del(keys::RunPublishLock(run_id)).IgnoreError();
}

}  // namespace arxiv_digest
