#include "services/fetcher/logic/run_plan.h"

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace arxiv_digest {

ScheduledRun PlanRun(const FetcherOptions& options, FetchCycle& cycle,
                     BackfillCycle& backfills, Clock& clock,
                     std::chrono::seconds lock_ttl) {
  ScheduledRun run;
  run.lock_ttl = lock_ttl;
  if (!options.ids.empty()) {
    run.lock_name = "ids";
    // The date is taken when the run starts, not when it was planned.
    run.body = [&options, &backfills, &clock] {
      return backfills.RunIds(options.ids, TodayUtc(clock));
    };
  } else if (!options.from.empty()) {
    run.lock_name = options.from + ".." + options.until;
    run.body = [&options, &backfills] {
      return backfills.RunDates(options.from, options.until, options.force);
    };
  } else {
    run.lock_name = "today";
    run.body = [&options, &cycle] { return cycle.RunOnce(options.force); };
  }
  return run;
}

std::string TodayUtc(Clock& clock) {
  return absl::FormatTime("%Y-%m-%d", absl::FromChrono(clock.Now()),
                          absl::UTCTimeZone());
}

}  // namespace arxiv_digest
