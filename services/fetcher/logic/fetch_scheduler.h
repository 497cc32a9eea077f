// When the fetcher fetches: once (--once and the backfills), every interval
// with TriggerRun requests of the API served in between, or only those
// requests (--triggers-only, the schedule being a CronJob). Every run holds
// the fetch lock (RunExclusive). I/O only through the ports below, so the
// loop is tested with fakes and a fake clock.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "lib/core/clock.h"
#include "lib/core/paper.h"
#include "services/fetcher/logic/run_lock.h"
#include "services/fetcher/logic/trigger_source.h"

namespace arxiv_digest {

// What one scheduled (or --once) cycle runs, and the lock it holds.
struct ScheduledRun {
  std::string lock_name;  // "today", "ids", "<from>..<until>"
  std::chrono::seconds lock_ttl{0};
  std::function<absl::StatusOr<RunManifest>()> body;
};

// For metrics (they live in the adapter layer).
struct SchedulerObserver {
  // After every scheduled or --once cycle, with its duration.
  std::function<void(const absl::StatusOr<RunManifest>& run, double seconds)>
      on_run;
};

struct SchedulerOptions {
  std::chrono::seconds interval{3600};  // between scheduled cycles
  bool triggers_only = false;           // Serve: no cycles of its own
  // One blocking read of the trigger source; bounds how late a stop or the
  // next scheduled cycle is noticed.
  std::chrono::milliseconds trigger_wait{1000};
  // Pause after a failed read, so a Redis outage is not a busy loop.
  std::chrono::milliseconds trigger_error_backoff{1000};
};

class FetchScheduler {
 public:
  // Runs one TriggerRun request and records its outcome (TriggerRunner).
  using TriggerHandler = std::function<void(const FetchTrigger&)>;

  FetchScheduler(SchedulerOptions options, ScheduledRun run, FetchLock& lock,
                 TriggerSource& triggers, TriggerHandler handle_trigger,
                 Clock& clock, std::function<bool()> stop_requested,
                 SchedulerObserver observer = {});

  // One cycle under the lock, observed and logged ("run written" / "fetch
  // failed"); a held lock is a manifest with status kStatusLocked.
  absl::StatusOr<RunManifest> RunOnce();

  // Until stop_requested: a cycle, then triggers served until `interval`
  // has passed since the cycle ended, and again; with triggers_only, only
  // triggers. A failed cycle or trigger read is logged and the loop goes on.
  void Serve();

 private:
  // Serves triggers until `deadline`, or with none (triggers-only) until a
  // stop is seen after a read.
  void ServeTriggers(
      std::optional<std::chrono::steady_clock::time_point> deadline);

  SchedulerOptions options_;
  ScheduledRun run_;
  FetchLock& lock_;
  TriggerSource& triggers_;
  TriggerHandler handle_trigger_;
  Clock& clock_;
  std::function<bool()> stop_requested_;
  SchedulerObserver observer_;
};

// What --once prints: "run_id=…\nstatus=…\ndate=…\n" and "reason=…\n" when
// there is one.
std::string OnceSummary(const RunManifest& run);

}  // namespace arxiv_digest
