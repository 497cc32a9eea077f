// Runs one TriggerRun request: today's feeds (optionally other categories)
// or, for a past date, that day through OAI-PMH; always forced (an operator
// asked for it) and always into the run id the API pre-assigned, under the
// same lock as scheduled cycles. A failure (or a request that could not be
// decoded) is recorded on the run with contract::RunWriter::FailRun.
#pragma once

#include <chrono>
#include <functional>

#include "lib/config/config.h"
#include "services/fetcher/adapters/fetcher_metrics.h"
#include "services/fetcher/adapters/profile_readers.h"
#include "services/fetcher/adapters/trigger_listener.h"
#include "services/fetcher/logic/backfill_cycle.h"
#include "services/fetcher/logic/fetch_cycle.h"
#include "services/fetcher/logic/missed_days.h"
#include "services/fetcher/logic/run_lock.h"

namespace arxiv_digest {

class TriggerRunner {
 public:
  TriggerRunner(const Config& config, FeedSource& feeds,
                BackfillSource& backfill, contract::RunWriter& writer,
                SeenStore& seen, FeedDateStore& dates, FetchLock& lock,
                std::chrono::seconds lock_ttl, FetchObserver observer,
                TriggerListener& triggers, FetcherMetrics& metrics);

  // Fetches, records the outcome, acks the trigger.
  void Handle(const FetchTrigger& trigger);

  // Runs a missing_days trigger (run_plan's CatchUpOnRequest); unset, such
  // a trigger fails its run.
  using CatchUp =
      std::function<absl::StatusOr<RunManifest>(const FetchTrigger&)>;
  void set_catch_up(CatchUp catch_up) { catch_up_ = std::move(catch_up); }
  // Where a triggered run that covers its date records it, so the missed
  // day catch-up does not fetch that day again. Not owned; may be null.
  void set_run_dates(RunDateIndex* run_dates) { run_dates_ = run_dates; }

  // A trigger with no categories of its own (today's feeds or a past day
  // through OAI-PMH) also serves these profiles, like the daily cycle. Not
  // owned; may be null.
  void set_profiles(ProfileReaders* profiles) { profiles_ = profiles; }

 private:
  // The run under the lock; a held lock is an error (nothing was written).
  absl::StatusOr<RunManifest> Fetch(const FetchTrigger& trigger);

  const Config& config_;
  FeedSource& feeds_;
  BackfillSource& backfill_;
  contract::RunWriter& writer_;
  SeenStore& seen_;
  FeedDateStore& dates_;
  FetchLock& lock_;
  std::chrono::seconds lock_ttl_;
  FetchObserver observer_;
  TriggerListener& triggers_;
  FetcherMetrics& metrics_;
  ProfileReaders* profiles_ = nullptr;
  CatchUp catch_up_;
  RunDateIndex* run_dates_ = nullptr;
};

}  // namespace arxiv_digest
