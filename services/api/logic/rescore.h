// The Rescore use case: find the source papers of a target, plan one job
// per date and, unless it is a dry run, create each job as a new run. The
// reads and writes go through RescoreStore (Redis in production,
// adapters/rescore_jobs.h; a fake in tests). Also used by the profile
// fan-out with kind=profile.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/paper.h"
#include "services/api/logic/rescore_plan.h"

namespace arxiv_digest::api {

// One job as it is written: a derived run (manifest.kind rescore/profile).
struct JobRecord {
  RunManifest manifest;       // JobManifest: written first, status fetching
  std::vector<Paper> papers;  // positions 0..n-1
};

class RescoreStore {
 public:
  virtual ~RescoreStore() = default;
  // Every run that has a papers hash, with its manifest's date and kind.
  virtual absl::StatusOr<std::vector<RunRef>> RunsWithPapers() = 0;
  // A run's manifest; nullopt when the run does not exist.
  virtual absl::StatusOr<std::optional<RunManifest>> GetManifest(
      const std::string& run_id) = 0;
  // Every readable paper of a run, in any order.
  virtual absl::StatusOr<std::vector<Paper>> PapersOfRun(
      const std::string& run_id) = 0;
  // Those of `ids` that the run has (and that are readable), by id.
  virtual absl::StatusOr<std::map<std::string, Paper>> FindPapers(
      const std::string& run_id, const std::vector<std::string>& ids) = 0;
  // Creates the run: manifest, papers, each paper queued for the scorers,
  // then status fetched and the run announced, in that order, so the
  // publisher never sees a complete-looking partial run.
  virtual absl::Status WriteJob(const JobRecord& job) = 0;
};

// The papers of `target` in source order. NOT_FOUND: unknown run, nothing
// fetched in the range, unknown ids (all listed). FAILED_PRECONDITION: the
// run has no papers (yet).
absl::StatusOr<std::vector<SourcePaper>> CollectSources(
    RescoreStore& store, const RescoreTarget& target);

// Decides, once the jobs are planned and before anything is written (also
// for dry runs), whether the request may go on: the abuse limits
// (abuse_limits.h) and the client's work budget. An error is returned as
// is and nothing is written.
using AdmitRescore = std::function<absl::Status(const RescoreResult& planned)>;

// Collect, plan, summarise, admit (when `admit` is set) and (not for dry
// runs) write every job; `random` makes the 8 hex digits of each new run
// id.
absl::StatusOr<RescoreResult> CreateRescoreJobs(
    RescoreStore& store, const RescoreTarget& target,
    const RescoreOptions& options, const std::function<uint32_t()>& random,
    const AdmitRescore& admit = {});

// The options of a client's Rescore (kind=rescore) once its profile is
// resolved.
RescoreOptions RescoreOptionsFor(const std::string& profile,
                                 const std::string& topics_override,
                                 bool dry_run, const std::string& requested_by,
                                 const std::string& requested_at);

}  // namespace arxiv_digest::api
