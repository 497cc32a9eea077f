// The port through which a run is written: the fetcher's daily/triggered
// runs, the api's triggers and its derived runs (rescore, profile fan-out).
// lib/redis/redis_run_writer.h is the Redis implementation; tests pass
// fakes. Pure interface: no I/O here.
//
// Order of calls for one run, and the guarantee readers rely on:
//   BeginRun            manifest, status fetching
//   AppendPaper(s)      every paper (papers hash + papers stream)
//   FinishRun           manifest last, then the runs-stream entry: a
//                       consumer that sees the final status knows every
//                       paper was already appended.
// RequestFetch (api TriggerRun) and FailRun stand alone.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "lib/core/ids.h"
#include "lib/core/paper.h"

namespace arxiv_digest::contract {

class RunWriter {
 public:
  virtual ~RunWriter() = default;

  // A fetched run (manifest.kind empty) writes the fetcher's fields
  // (kFetchFields) and created_at; a derived run (kind rescore/profile)
  // writes kDerivedRunFields (+ topics_override when set).
  virtual absl::Status BeginRun(const RunManifest& manifest) = 0;

  virtual absl::Status AppendPaper(const std::string& run_id,
                                   const Paper& paper) = 0;
  // Several papers at once (a derived run copies a whole run). The default
  // calls AppendPaper for each.
  virtual absl::Status AppendPapers(const std::string& run_id,
                                    const std::vector<Paper>& papers) {
    for (const Paper& p : papers) {
      if (absl::Status s = AppendPaper(run_id, p); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // The final state (fetched, no_announcements, failed). Fetched runs write
  // the fetcher's fields again plus fetched_at and become the latest run;
  // derived runs write only the status. Both announce the run on the runs
  // stream.
  virtual absl::Status FinishRun(const RunManifest& manifest) = 0;

  // The api's TriggerRun: the manifest (kTriggerFields, status requested)
  // first, then the trigger entry, so a fetcher that picks the trigger up
  // at once finds the run it is asked to fill.
  virtual absl::Status RequestFetch(const RunManifest& manifest) = 0;

  // Marks a run failed with the reason (status failed + error).
  virtual absl::Status FailRun(const std::string& run_id,
                               const std::string& error) = 0;
};

}  // namespace arxiv_digest::contract
