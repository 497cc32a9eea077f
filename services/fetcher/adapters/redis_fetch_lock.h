// The one-fetcher-per-day lock in Redis: arxiv:lock:fetch:<what> taken with
// SET NX PX <ttl>, released by compare-and-delete so a replica whose lock
// expired never frees another's.
#pragma once

#include <map>
#include <string>

#include "lib/redis/redis_client.h"
#include "services/fetcher/logic/run_lock.h"

namespace arxiv_digest {

class RedisFetchLock : public FetchLock {
 public:
  explicit RedisFetchLock(RedisClient& redis) : redis_(redis) {}
  // `name` is the part after arxiv:lock:fetch: ("today", a date range...).
  absl::StatusOr<bool> TryAcquire(const std::string& name,
                                  std::chrono::seconds ttl) override;
  absl::Status Release(const std::string& name) override;

 private:
  RedisClient& redis_;
  std::map<std::string, std::string> tokens_;  // name -> our value
};

}  // namespace arxiv_digest
