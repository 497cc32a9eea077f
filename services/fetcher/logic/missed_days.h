// Missed announcement days: a fetcher that was down (or a CronJob that did
// not run) leaves weekdays without a run. After each daily run the fetcher
// looks back a bounded window, finds the announcement days that have
// neither a recorded run nor a published digest, and backfills them through
// OAI-PMH, oldest first, a bounded number per cycle. `arxivctl backfill
// --missing` asks for the same catch-up on demand (a trigger).
//
// Each backfilled day also gives every other reader profile its child run
// (BackfillCycle::ServeProfiles). A day counts as had by the default
// reader's record alone: the children of a day the fetcher recorded are
// written before its default run, so the day has them for the profiles
// configured then. A profile added later gets no history (like the api's
// fan-out); a per-profile date record would re-fetch the default's days.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/ids.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

// [FETCHER] backfill_missing / backfill_max_days / backfill_lookback_days.
struct MissedDaysPolicy {
  bool enabled = true;
  int max_days = 5;        // backfills per catch-up (politeness bound)
  int lookback_days = 14;  // calendar days looked back from the run's date
};

// arXiv announces Monday to Friday (the RSS channel date); weekends never
// have a mailing. Holidays do not announce either: their backfill records a
// no_announcements run, so they are asked for once, not every day.
bool IsAnnouncementWeekday(const Date& date);

// The announcement weekdays in [run_date - lookback_days, run_date) that
// are after the earliest date known to the system (`known`, so a fresh
// install does not backfill history it never had) and not in `known`;
// at most `max_days` of them, the most recent ones, oldest first.
std::vector<Date> MissedAnnouncementDays(const Date& run_date,
                                         const std::set<std::string>& known,
                                         const MissedDaysPolicy& policy);

// Dates the system has: recorded fetch runs (any final status, including
// no_announcements) and published digests.
class RunDateIndex {
 public:
  virtual ~RunDateIndex() = default;
  // Dates in [from, until] with a recorded run or a published digest.
  virtual absl::StatusOr<std::set<std::string>> KnownDates(
      const Date& from, const Date& until) = 0;
  virtual absl::Status RecordRunDate(const Date& date) = 0;
};

// Runs the catch-up: `backfill_day` fetches one day (OAI-PMH, under the
// day's lock) and returns its run; each finished run's date is recorded.
// The first failed day ends the catch-up (it is in `errors`; it and the
// days after it stay missing, so the next cycle asks again).
struct CatchUpResult {
  std::vector<RunManifest> runs;
  std::vector<std::string> errors;  // "<date>: <message>"
};
CatchUpResult CatchUpMissedDays(
    const Date& run_date, const MissedDaysPolicy& policy, RunDateIndex& index,
    const std::function<absl::StatusOr<RunManifest>(const Date&)>&
        backfill_day);

// A run whose date counts as "the system has this day": anything that
// ended (fetched or no_announcements). Failed and locked runs do not.
bool RunCoversItsDate(const RunManifest& run);

}  // namespace arxiv_digest
