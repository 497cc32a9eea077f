// Runs one TriggerRun request: today's feeds (optionally other categories)
// or, for a past date, that day through OAI-PMH; always forced (an operator
// asked for it) and always into the run id the API pre-assigned, under the
// same lock as scheduled cycles. A failure (or a request that could not be
// decoded) is recorded on the run with contract::RunWriter::FailRun.
#pragma once

#include <chrono>

#include "lib/config/config.h"
#include "services/fetcher/adapters/fetcher_metrics.h"
#include "services/fetcher/adapters/trigger_listener.h"
#include "services/fetcher/logic/backfill_cycle.h"
#include "services/fetcher/logic/fetch_cycle.h"
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
};

}  // namespace arxiv_digest
