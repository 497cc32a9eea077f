// Politeness towards arXiv shared by every fetcher replica: one request at a
// time and a minimum interval between requests, held in Redis.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "lib/core/clock.h"
#include "lib/redis/redis_client.h"

namespace arxiv_digest {

class RequestGate {
 public:
  virtual ~RequestGate() = default;
  // Blocks until this process may send one request (or fails when the wait
  // bound is reached). Every successful Acquire is followed by Release.
  virtual absl::Status Acquire() = 0;
  virtual void Release() = 0;
};

// The key arxiv:ratelimit:<host> is taken with SET NX PX <hold> before a
// request; Release shortens its life to min_interval (only if we still own
// it), so the next request of any replica starts at least min_interval after
// this one ended. `hold` (request timeout + interval) frees the key if a
// replica dies mid-request.
class RedisRequestGate : public RequestGate {
 public:
  struct Options {
    std::string key;  // keys::RateLimit("arxiv.org")
    std::chrono::milliseconds min_interval{3000};
    std::chrono::milliseconds hold{63000};
    std::chrono::milliseconds max_wait{std::chrono::minutes(10)};
    std::chrono::milliseconds poll{250};  // longest single sleep
  };
  // `on_wait` (may be empty) receives every wait, for a metric.
  RedisRequestGate(RedisClient& redis, Clock& clock, Options options,
                   std::function<void(double seconds)> on_wait = {});

  absl::Status Acquire() override;
  void Release() override;

 private:
  RedisClient& redis_;
  Clock& clock_;
  Options options_;
  std::function<void(double)> on_wait_;
  std::string token_;  // value of the key while we hold it
};

}  // namespace arxiv_digest
