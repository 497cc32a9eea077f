#include "services/fetcher/logic/fetch_scheduler.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/log/log.h"

namespace arxiv_digest {

FetchScheduler::FetchScheduler(SchedulerOptions options, ScheduledRun run,
                               FetchLock& lock, TriggerSource& triggers,
                               TriggerHandler handle_trigger, Clock& clock,
                               std::function<bool()> stop_requested,
                               SchedulerObserver observer)
    : options_(options),
      run_(std::move(run)),
      lock_(lock),
      triggers_(triggers),
      handle_trigger_(std::move(handle_trigger)),
      clock_(clock),
      stop_requested_(std::move(stop_requested)),
      observer_(std::move(observer)) {}

absl::StatusOr<RunManifest> FetchScheduler::RunOnce() {
  const auto start = clock_.Monotonic();
  absl::StatusOr<RunManifest> run =
      RunExclusive(lock_, run_.lock_name, run_.lock_ttl, run_.body);
  const double seconds =
      std::chrono::duration<double>(clock_.Monotonic() - start).count();
  if (observer_.on_run) observer_.on_run(run, seconds);
  if (run.ok()) {
    LogInfo("run written",
            {{"run_id", run->run_id},
             {"status", run->status},
             {"date", run->date},
             {"reason", run->reason},
             {"total_papers", std::to_string(run->total_papers)},
             {"scanned_papers", std::to_string(run->scanned_papers)},
             {"skipped_seen", std::to_string(run->skipped_seen)},
             {"papers_to_score", std::to_string(run->papers_to_score)}});
  } else {
    LogError("fetch failed", {{"error", std::string(run.status().message())}});
  }
  return run;
}

void FetchScheduler::Serve() {
  if (options_.triggers_only) {
    ServeTriggers(std::nullopt);
    return;
  }
  // The first cycle runs even when a stop is already pending: a process
  // started for a cycle does it.
  while (true) {
    (void)RunOnce();  // logged and observed; the next interval retries
    ServeTriggers(clock_.Monotonic() + options_.interval);
    if (stop_requested_()) return;
  }
}

void FetchScheduler::ServeTriggers(
    std::optional<std::chrono::steady_clock::time_point> deadline) {
  while (!deadline.has_value() ||
         (!stop_requested_() && clock_.Monotonic() < *deadline)) {
    absl::StatusOr<std::optional<FetchTrigger>> trigger =
        triggers_.Next(options_.trigger_wait);
    // Triggers-only replicas leave at once, even with a trigger in hand
    // (it stays pending); between cycles a trigger read is served first.
    if (!deadline.has_value() && stop_requested_()) return;
    if (!trigger.ok()) {
      LogError("reading triggers failed",
               {{"error", std::string(trigger.status().message())}});
      clock_.SleepFor(options_.trigger_error_backoff);
      continue;
    }
    if (trigger->has_value()) handle_trigger_(**trigger);
  }
}

std::string OnceSummary(const RunManifest& run) {
  std::string out = absl::StrCat("run_id=", run.run_id, "\nstatus=", run.status,
                                 "\ndate=", run.date, "\n");
  if (!run.reason.empty()) absl::StrAppend(&out, "reason=", run.reason, "\n");
  return out;
}

}  // namespace arxiv_digest
