// Rescore jobs: each job is a new run (kind=rescore, or kind=profile for
// the fan-out) that re-queues already fetched papers on arxiv:papers for
// the scorers, so the publisher makes a new digest version from them.
//
// Where the papers come from: every run that has a papers hash, found with
// SCAN MATCH arxiv:run:*:papers (the arxiv:runs stream may be trimmed, the
// hashes are what matters). For ids and date ranges only fetched (daily or
// triggered) runs count, i.e. manifests without a `kind`; a run target may
// be any run. Several dates give one job per date.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/redis/redis_client.h"
#include "services/api/logic/rescore_plan.h"

namespace arxiv_digest::api {

struct RescoreTarget {
  enum class Kind { kIds, kRun, kDates };
  Kind kind = Kind::kRun;
  std::vector<std::string> ids;  // version-less, validated
  std::string run_id;
  std::string from_date, to_date;  // validated, from <= to
};

struct RescoreOptions {
  std::string profile = "default";
  std::string topics_override;  // empty: the profile's topics
  bool dry_run = false;
  std::string kind = "rescore";  // manifest `kind`
  std::string requested_by;
  std::string requested_at;  // RFC 3339
};

struct RescoreResult {
  std::vector<std::string> job_ids;  // empty for a dry run
  std::vector<std::string> dates;
  int64_t papers = 0;
  int64_t estimated_prompt_tokens = 0;
};

class RescoreJobs {
 public:
  // `random` makes the 8 hex digits of new run ids.
  RescoreJobs(RedisClient& redis, std::function<uint32_t()> random)
      : redis_(redis), random_(std::move(random)) {}

  // NOT_FOUND: unknown run, no runs in the range, unknown ids (all listed).
  // FAILED_PRECONDITION: the run has no papers (yet).
  absl::StatusOr<RescoreResult> Create(const RescoreTarget& target,
                                       const RescoreOptions& options);

 private:
  struct RunRef {
    std::string run_id, date, kind;
  };
  absl::StatusOr<std::vector<RunRef>> RunsWithPapers();
  absl::StatusOr<std::vector<SourcePaper>> PapersOfRun(const RunRef& run);
  absl::StatusOr<std::vector<SourcePaper>> Collect(const RescoreTarget& target);
  absl::StatusOr<std::string> WriteJob(const PlannedJob& job,
                                       const RescoreOptions& options);

  RedisClient& redis_;
  std::function<uint32_t()> random_;
};

}  // namespace arxiv_digest::api
