// A token bucket held in Redis, shared by every process that uses the same
// key: e.g. all scorer replicas together never exceed the provider's
// requests-per-minute or tokens-per-minute. The refill uses Redis' own
// clock (TIME inside the script), so replicas' clocks need not agree.
#pragma once

#include <chrono>
#include <string>

#include "lib/redis/redis_client.h"

namespace arxiv_digest {

class RedisTokenBucket {
 public:
  // capacity tokens, refilled continuously at capacity per `period`.
  RedisTokenBucket(RedisClient& redis, std::string key, double capacity,
                   std::chrono::milliseconds period);

  // Takes `amount` tokens if available (0 returned), else takes nothing and
  // returns how long to wait before trying again. Amounts above the
  // capacity are clamped to it, so a huge request waits at most one period.
  absl::StatusOr<std::chrono::milliseconds> TryAcquire(double amount);

 private:
  RedisClient& redis_;
  std::string key_;
  double capacity_;
  double refill_per_ms_;
};

}  // namespace arxiv_digest
