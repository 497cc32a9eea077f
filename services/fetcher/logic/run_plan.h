// Which cycle the command line asks for, and under which lock: a --ids
// backfill ("ids"), a --from/--until backfill ("<from>..<until>") or
// today's feeds ("today", shared with TriggerRun requests for today).
#pragma once

#include <chrono>
#include <string>

#include "lib/core/clock.h"
#include "services/fetcher/logic/backfill_cycle.h"
#include "services/fetcher/logic/fetch_cycle.h"
#include "services/fetcher/logic/fetch_scheduler.h"
#include "services/fetcher/logic/fetcher_options.h"
#include "services/fetcher/logic/missed_days.h"
#include "services/fetcher/logic/run_lock.h"

namespace arxiv_digest {

// After a daily run that covers its date, the missed announcement days
// before it are backfilled (logic/missed_days.h), each under its own day's
// lock. Off when `index` is null.
struct CatchUpPlan {
  RunDateIndex* index = nullptr;
  FetchLock* lock = nullptr;
  MissedDaysPolicy policy;
};

// The returned body refers to `options`, `cycle`, `backfills`, `clock` and
// the catch-up's index and lock, which must outlive it.
ScheduledRun PlanRun(const FetcherOptions& options, FetchCycle& cycle,
                     BackfillCycle& backfills, Clock& clock,
                     std::chrono::seconds lock_ttl, CatchUpPlan catch_up = {});

// Records a daily run's date and backfills the missed days before it; the
// daily run itself is returned unchanged (a failed catch-up is logged).
void CatchUpAfterDailyRun(const RunManifest& daily, BackfillCycle& backfills,
                          std::chrono::seconds lock_ttl,
                          const CatchUpPlan& catch_up);

// "YYYY-MM-DD" of clock.Now() in UTC: the date of a --ids run.
std::string TodayUtc(Clock& clock);

// A missing_days trigger (arxivctl backfill --missing): the catch-up before
// `today`, asked for on demand (so even with backfill_missing off), each
// day a run of its own; the trigger's own run `run_id` (kind catch_up)
// ends no_announcements with a summary, or the call fails (the run is then
// marked failed) when nothing could be backfilled and a day failed.
absl::StatusOr<RunManifest> CatchUpOnRequest(const std::string& run_id,
                                             const Date& today,
                                             BackfillCycle& backfills,
                                             std::chrono::seconds lock_ttl,
                                             const CatchUpPlan& catch_up,
                                             contract::RunWriter& writer);

}  // namespace arxiv_digest
