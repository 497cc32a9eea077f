// Backfill runs: a list of ids through the arXiv query API, or a date range
// through OAI-PMH. Both end as a normal run (manifest + papers), so the
// scorers and the publisher treat them like a daily run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "services/fetcher/logic/atom_parser.h"
#include "services/fetcher/logic/fetch_ports.h"
#include "services/fetcher/logic/oai_pmh_parser.h"
#include "services/fetcher/logic/profile_runs.h"
#include "services/fetcher/logic/run_recorder.h"

namespace arxiv_digest {

// All pages of a ListRecords harvest, over every requested set.
struct OaiHarvest {
  std::vector<OaiRecord> records;
  std::vector<std::string> record_errors;
  int64_t deleted_records = 0;
  int64_t invalid_utf8 = 0;
  int pages = 0;
};

class BackfillSource {
 public:
  virtual ~BackfillSource() = default;
  // Papers of these version-less ids (latest versions), any order.
  virtual absl::StatusOr<AtomResponse> FetchIds(
      const std::vector<std::string>& ids) = 0;
  // Every record with a datestamp in [from, until] in these sets, following
  // resumption tokens to the last page.
  virtual absl::StatusOr<OaiHarvest> HarvestDates(
      const std::string& from, const std::string& until,
      const std::vector<std::string>& sets) = 0;
};

class BackfillCycle {
 public:
  BackfillCycle(const Config& config, BackfillSource& source,
                contract::RunWriter& writer, SeenStore& seen,
                RunRecorder::IdGenerator make_run_id,
                FetchObserver observer = {});

  // The papers asked for, in the order given, scored again whatever was
  // delivered before (that is the point of asking); no announce-type or
  // category filter. The run's date is `date` (today for the CLI). Ids the
  // API does not return are logged and counted (kind "not_found").
  absl::StatusOr<RunManifest> RunIds(const std::vector<std::string>& ids,
                                     const std::string& date);

  // The configured categories' papers announced in [from, until], through
  // the usual announce_type / force_primary filters and, unless `force`,
  // de-duplication. The run's date is `until`. With profiles
  // (ServeProfiles) one harvest covers the sets of every profile's
  // categories and each of them gets a child run first (see there).
  absl::StatusOr<RunManifest> RunDates(const std::string& from,
                                       const std::string& until, bool force);

  // Serves `readers` from every later RunDates, as FetchCycle does from the
  // daily feeds (ProfileRuns::Record): each gets a run of kind profile
  // (parent_run = the date-range run) with the records of its own
  // categories, announce types given by its own entries
  // (FeedsFromOaiRecords), its own announce_types / force_primary and its
  // own SeenStore; no_announcements when nothing is selected. RunIds (an
  // explicit id list, no category filter) stays the default profile's.
  void ServeProfiles(std::vector<ProfileReader> readers, ProfileRunIndex& index,
                     ProfileRuns::IdGenerator make_child_id);

 private:
  const Config& config_;
  BackfillSource& source_;
  contract::RunWriter& writer_;
  RunRecorder::IdGenerator make_run_id_;
  ProfileRuns profiles_;
  RunRecorder recorder_;
  FetchObserver observer_;
};

}  // namespace arxiv_digest
