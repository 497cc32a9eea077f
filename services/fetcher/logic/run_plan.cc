#include "services/fetcher/logic/run_plan.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "lib/contract/run_manifest.h"
#include "lib/log/log.h"

namespace arxiv_digest {

ScheduledRun PlanRun(const FetcherOptions& options, FetchCycle& cycle,
                     BackfillCycle& backfills, Clock& clock,
                     std::chrono::seconds lock_ttl, CatchUpPlan catch_up) {
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
    run.body = [&options, &cycle, &backfills, lock_ttl, catch_up] {
      absl::StatusOr<RunManifest> daily = cycle.RunOnce(options.force);
      if (daily.ok()) {
        CatchUpAfterDailyRun(*daily, backfills, lock_ttl, catch_up);
      }
      return daily;
    };
  }
  return run;
}

namespace {

// One missed day through OAI-PMH (with de-duplication) under that day's own
// lock: what both the daily catch-up and the on-demand one run per day.
std::function<absl::StatusOr<RunManifest>(const Date&)> MissedDayFetch(
    BackfillCycle& backfills, std::chrono::seconds lock_ttl,
    const CatchUpPlan& catch_up) {
  return [&backfills, lock_ttl, &catch_up](const Date& day) {
    LogInfo("backfilling a missed announcement day", {{"date", day.str()}});
    return RunExclusive(*catch_up.lock, day.str(), lock_ttl,
                        [&backfills, &day] {
                          return backfills.RunDates(day.str(), day.str(),
                                                    /*force=*/false);
                        });
  };
}

}  // namespace

void CatchUpAfterDailyRun(const RunManifest& daily, BackfillCycle& backfills,
                          std::chrono::seconds lock_ttl,
                          const CatchUpPlan& catch_up) {
  if (catch_up.index == nullptr || catch_up.lock == nullptr ||
      !RunCoversItsDate(daily)) {
    return;
  }
  absl::StatusOr<Date> date = Date::Parse(daily.date);
  if (!date.ok()) return;  // e.g. a feed without a channel date
  if (absl::Status s = catch_up.index->RecordRunDate(*date); !s.ok()) {
    LogWarning("cannot record the run's date",
               {{"date", date->str()}, {"error", std::string(s.message())}});
  }
  CatchUpResult result =
      CatchUpMissedDays(*date, catch_up.policy, *catch_up.index,
                        MissedDayFetch(backfills, lock_ttl, catch_up));
  for (const RunManifest& run : result.runs) {
    LogInfo(
        "missed day backfilled",
        {{"date", run.date}, {"run_id", run.run_id}, {"status", run.status}});
  }
  for (const std::string& error : result.errors) {
    LogWarning("missed day not backfilled", {{"error", error}});
  }
}

absl::StatusOr<RunManifest> CatchUpOnRequest(const std::string& run_id,
                                             const Date& today,
                                             BackfillCycle& backfills,
                                             std::chrono::seconds lock_ttl,
                                             const CatchUpPlan& catch_up,
                                             contract::RunWriter& writer) {
  if (catch_up.index == nullptr || catch_up.lock == nullptr) {
    return absl::FailedPreconditionError("missed-day catch-up is not wired");
  }
  MissedDaysPolicy policy = catch_up.policy;
  policy.enabled = true;  // asked for explicitly
  CatchUpResult result =
      CatchUpMissedDays(today, policy, *catch_up.index,
                        MissedDayFetch(backfills, lock_ttl, catch_up));
  std::vector<std::string> parts;
  for (const RunManifest& run : result.runs) {
    parts.push_back(absl::StrCat(run.date, " (run ", run.run_id, ", ",
                                 run.status, ", ", run.papers_to_score,
                                 " papers)"));
  }
  if (!result.errors.empty() && result.runs.empty()) {
    return absl::UnavailableError(
        absl::StrCat("missed-day catch-up failed: ", result.errors.front()));
  }
  RunManifest summary;
  summary.run_id = run_id;
  summary.kind = contract::run_kind::kCatchUp;
  summary.status = run_status::kNoAnnouncements;
  summary.reason =
      parts.empty()
          ? absl::StrCat("no missed announcement day in the ",
                         policy.lookback_days, " days before ", today.str())
          : absl::StrCat("backfilled ", absl::StrJoin(parts, "; "));
  if (!result.errors.empty()) {
    absl::StrAppend(&summary.reason, "; stopped at ", result.errors.front());
  }
  if (absl::Status s = writer.FinishRun(summary); !s.ok()) return s;
  return summary;
}

std::string TodayUtc(Clock& clock) {
  return absl::FormatTime("%Y-%m-%d", absl::FromChrono(clock.Now()),
                          absl::UTCTimeZone());
}

}  // namespace arxiv_digest
