// Rescore jobs in Redis: the RescoreStore the Rescore use case
// (logic/rescore.h) reads source papers from and writes each job to. A job
// is a derived run (kind=rescore, or kind=profile for the fan-out) that
// re-queues already fetched papers on the papers stream for the scorers,
// so the publisher makes a new digest version from them. Jobs are written
// with contract::RedisRunWriter (BeginRun, AppendPapers, FinishRun).
//
// Where the papers come from: every run that has a papers hash, found with
// SCAN MATCH keys::RunPapersPattern() (the runs stream may be trimmed, the
// hashes are what matters).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/clock.h"
#include "lib/redis/redis_client.h"
#include "lib/redis/redis_run_writer.h"
#include "services/api/logic/rescore.h"
#include "services/api/logic/rescore_plan.h"

namespace arxiv_digest::api {

class RedisRescoreStore : public RescoreStore {
 public:
  // `run_ttl`: [RETENTION] run_days of the runs it writes.
  RedisRescoreStore(RedisClient& redis, Clock& clock,
                    std::chrono::seconds run_ttl = std::chrono::hours(24 * 30))
      : redis_(redis), writer_(redis, clock, run_ttl) {}

  absl::StatusOr<std::vector<RunRef>> RunsWithPapers() override;
  absl::StatusOr<std::optional<RunManifest>> GetManifest(
      const std::string& run_id) override;
  absl::StatusOr<std::vector<Paper>> PapersOfRun(
      const std::string& run_id) override;
  absl::StatusOr<std::map<std::string, Paper>> FindPapers(
      const std::string& run_id, const std::vector<std::string>& ids) override;
  absl::Status WriteJob(const JobRecord& job) override;

 private:
  RedisClient& redis_;
  contract::RedisRunWriter writer_;
};

class RescoreJobs {
 public:
  // `random` makes the 8 hex digits of new run ids.
  RescoreJobs(RedisClient& redis, Clock& clock,
              std::function<uint32_t()> random,
              std::chrono::seconds run_ttl = std::chrono::hours(24 * 30))
      : store_(redis, clock, run_ttl), random_(std::move(random)) {}

  // CreateRescoreJobs over Redis. NOT_FOUND: unknown run, no runs in the
  // range, unknown ids (all listed). FAILED_PRECONDITION: the run has no
  // papers (yet).
  // `admit` as in CreateRescoreJobs (logic/rescore.h).
  absl::StatusOr<RescoreResult> Create(const RescoreTarget& target,
                                       const RescoreOptions& options,
                                       const AdmitRescore& admit = {}) {
    return CreateRescoreJobs(store_, target, options, random_, admit);
  }

 private:
  RedisRescoreStore store_;
  std::function<uint32_t()> random_;
};

}  // namespace arxiv_digest::api
