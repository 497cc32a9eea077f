#include "services/api/adapters/rescore_jobs.h"

#include "lib/contract/run_manifest.h"
#include "lib/core/ids.h"
#include "lib/core/paper.h"
#include "lib/json/json_util.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"
#include "services/api/adapters/run_store.h"

namespace arxiv_digest::api {

absl::StatusOr<std::vector<RunRef>> RedisRescoreStore::RunsWithPapers() {
  std::vector<RunRef> runs;
  std::string cursor = "0";
  do {
    absl::StatusOr<RedisReply> r = redis_.Command(
        {"SCAN", cursor, "MATCH", keys::RunPapersPattern(), "COUNT", "1000"});
    if (!r.ok()) return r.status();
    if (r->elements.size() != 2) {
      return absl::InternalError("unexpected SCAN reply");
    }
    cursor = r->elements[0].str;
    for (const RedisReply& key : r->elements[1].elements) {
      std::optional<std::string> id = keys::RunIdOfPapersKey(key.str);
      if (id && ids::IsValidRunId(*id)) runs.push_back(RunRef{*id, "", ""});
    }
  } while (cursor != "0");
  // Only the two fields the planning needs, read through the contract's
  // codec so a malformed date or kind is noticed.
  using contract::manifest_field::kDate;
  using contract::manifest_field::kKind;
  std::vector<RunRef> readable;
  for (RunRef& run : runs) {
    absl::StatusOr<RedisReply> r =
        redis_.Command({"HMGET", keys::Run(run.run_id), kDate, kKind});
    if (!r.ok()) return r.status();
    if (r->elements.size() != 2) continue;
    std::map<std::string, std::string> fields;
    if (!r->elements[0].IsNil()) fields[kDate] = r->elements[0].str;
    if (!r->elements[1].IsNil()) fields[kKind] = r->elements[1].str;
    absl::StatusOr<RunManifest> m = contract::DecodeManifest(fields);
    if (!m.ok()) {
      LogWarning("skipping run with an unreadable manifest",
                 {{"run_id", run.run_id},
                  {"error", std::string(m.status().message())}});
      continue;
    }
    run.date = m->date;
    run.kind = m->kind;
    readable.push_back(std::move(run));
  }
  return readable;
}

absl::StatusOr<std::optional<RunManifest>> RedisRescoreStore::GetManifest(
    const std::string& run_id) {
  return ReadManifest(redis_, run_id);
}

absl::StatusOr<std::vector<Paper>> RedisRescoreStore::PapersOfRun(
    const std::string& run_id) {
  absl::StatusOr<std::map<std::string, std::string>> hash =
      redis_.HGetAll(keys::RunPapers(run_id));
  if (!hash.ok()) return hash.status();
  std::vector<Paper> papers;
  for (const auto& [id, json] : *hash) {
    absl::StatusOr<Paper> p = PaperFromJson(json);
    if (!p.ok()) {
      LogWarning("skipping unreadable paper",
                 {{"run_id", run_id}, {"arxiv_id", id}});
      continue;
    }
    papers.push_back(*std::move(p));
  }
  return papers;
}

absl::StatusOr<std::map<std::string, Paper>> RedisRescoreStore::FindPapers(
    const std::string& run_id, const std::vector<std::string>& ids) {
  std::vector<std::string> args = {"HMGET", keys::RunPapers(run_id)};
  args.insert(args.end(), ids.begin(), ids.end());
  absl::StatusOr<RedisReply> reply = redis_.Command(args);
  if (!reply.ok()) return reply.status();
  std::map<std::string, Paper> found;
  for (size_t i = 0; i < ids.size() && i < reply->elements.size(); ++i) {
    if (reply->elements[i].IsNil()) continue;
    absl::StatusOr<Paper> p = PaperFromJson(reply->elements[i].str);
    if (p.ok()) found.emplace(ids[i], *std::move(p));
  }
  return found;
}

absl::Status RedisRescoreStore::WriteJob(const JobRecord& job) {
  if (absl::Status s = writer_.BeginRun(job.manifest); !s.ok()) return s;
  if (absl::Status s = writer_.AppendPapers(job.manifest.run_id, job.papers);
      !s.ok()) {
    return s;
  }
  // Like the fetcher: "fetched" only once every paper is on the stream, so
  // the publisher never sees a complete-looking partial run.
  RunManifest done = job.manifest;
  done.status = run_status::kFetched;
  return writer_.FinishRun(done);
}

}  // namespace arxiv_digest::api
