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

namespace arxiv_digest {

// The returned body refers to `options`, `cycle`, `backfills` and `clock`,
// which must outlive it.
ScheduledRun PlanRun(const FetcherOptions& options, FetchCycle& cycle,
                     BackfillCycle& backfills, Clock& clock,
                     std::chrono::seconds lock_ttl);

// "YYYY-MM-DD" of clock.Now() in UTC: the date of a --ids run.
std::string TodayUtc(Clock& clock);

}  // namespace arxiv_digest
