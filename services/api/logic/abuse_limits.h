// The api's abuse limits: how much each client may cost (TriggerRun rate,
// Rescore work per request and per day, dry-run rate, WatchJob streams)
// and the checks that need no I/O. The shared counters live in Redis
// (adapters/work_budget.h, lib/redis/rate_limiter.h), so every replica
// sees the same budget; the WatchJob and concurrency caps are per process.
// Pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "services/api/logic/auth.h"
#include "services/api/logic/rescore_plan.h"

namespace arxiv_digest::api {

// 0 turns a limit off (the api's flags refuse negative values); the
// defaults of a real deployment come from the flags (api_flags.h).
struct AbuseLimits {
  // TriggerRun: a token bucket per client holding `trigger_burst` runs,
  // refilled one run per `trigger_interval`.
  int trigger_burst = 0;
  std::chrono::seconds trigger_interval{60};
  // Dry-run Rescore: the same shape, its own bucket.
  int dry_run_burst = 0;
  std::chrono::seconds dry_run_interval{6};
  // Rescore work: per request and per client per day (a bucket refilled
  // continuously over 24 h), counted in papers and estimated prompt tokens
  // (the dry run's estimate, rescore_plan.h).
  int64_t max_papers_per_request = 0;
  int64_t max_tokens_per_request = 0;
  int64_t papers_per_day = 0;
  int64_t tokens_per_day = 0;
  // Rescores (dry or not) running at once in this process: each holds the
  // papers of its whole target in memory.
  int max_concurrent_rescores = 0;
};

// Who a limit is charged to: the token's client name, or for anonymous
// callers (no tokens file) the peer's address without its port (gRPC's
// "ipv4:1.2.3.4:5678" -> "ipv4:1.2.3.4"), so reconnecting does not reset
// the budget.
std::string LimitSubject(const ApiClient& client, std::string_view peer);

// How long a bucket of `burst` tokens refilled one per `interval` takes to
// refill completely, saturating at a year (flags are ints; their product
// in milliseconds must not overflow).
std::chrono::milliseconds FullRefill(std::chrono::seconds interval, int burst);

// "retry in N s" with N rounded up (at least 1).
std::string RetryIn(std::chrono::milliseconds wait);

// RESOURCE_EXHAUSTED for `what` (e.g. "TriggerRun rate limit") of
// `subject`, with the wait.
absl::Status LimitReached(std::string_view what, std::string_view subject,
                          std::chrono::milliseconds wait);

// The per-request checks of a planned Rescore (before anything is
// written): the papers and token ceilings, and for an id list the number
// of days its papers span (first to last date, inclusive) against
// `max_range_days`, the same cap a date range has. INVALID_ARGUMENT
// naming the limit; a ceiling of 0 is off.
absl::Status CheckRescoreRequest(const RescoreTarget& target,
                                 const RescoreResult& planned,
                                 const AbuseLimits& limits, int max_range_days);

}  // namespace arxiv_digest::api
