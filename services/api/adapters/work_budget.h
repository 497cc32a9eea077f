// A client's daily Rescore budget in Redis, counted in two units at once
// (papers and estimated prompt tokens): a token bucket per unit, refilled
// continuously over a day, both taken in one Lua script so a request
// either takes both amounts or nothing. Shared by every api replica; the
// refill uses Redis' clock (TIME), as lib/redis/rate_limiter.h does.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "lib/redis/redis_client.h"

namespace arxiv_digest::api {

struct WorkAmount {
  int64_t papers = 0;
  int64_t tokens = 0;
};

class WorkBudget {
 public:
  // `capacity` per `period` (a day in production); a unit with capacity 0
  // is not limited.
  WorkBudget(RedisClient& redis, std::string key, WorkAmount capacity,
             std::chrono::milliseconds period = std::chrono::hours(24));

  // Takes `amount` when both units have it (0 returned); otherwise takes
  // nothing and returns how long until they will. An amount above the
  // capacity can never be granted: FAILED_PRECONDITION.
  absl::StatusOr<std::chrono::milliseconds> TryTake(WorkAmount amount);

 private:
  RedisClient& redis_;
  std::string key_;
  WorkAmount capacity_;
  std::chrono::milliseconds period_;
};

}  // namespace arxiv_digest::api
