// One fetcher replica per day's fetch (or per backfill): the cycle runs only
// while this process holds a lock with an expiry (Redis in production), so
// replicas started together, or a crashed one, never fetch a day twice.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

// Printed/logged status of a cycle that did not run because another replica
// holds the lock. Not a run status: nothing is written.
inline constexpr char kStatusLocked[] = "locked";

class FetchLock {
 public:
  virtual ~FetchLock() = default;
  // true when this call took the lock (for `ttl`); false when it is held.
  virtual absl::StatusOr<bool> TryAcquire(const std::string& name,
                                          std::chrono::seconds ttl) = 0;
  // Releases the lock if this process still holds it.
  virtual absl::Status Release(const std::string& name) = 0;
};

// Runs `body` under the lock `name`. When the lock is held elsewhere,
// returns a manifest with status kStatusLocked and a reason, without
// running `body`. The lock is released after `body`, whatever it returned.
absl::StatusOr<RunManifest> RunExclusive(
    FetchLock& lock, const std::string& name, std::chrono::seconds ttl,
    const std::function<absl::StatusOr<RunManifest>()>& body);

}  // namespace arxiv_digest
