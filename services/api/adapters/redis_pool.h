// Redis connections for gRPC and web handler threads: hiredis contexts are
// not thread-safe, and handlers run on whichever thread the server picks,
// so each call borrows a client and gives it back.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/redis/redis_client.h"

namespace arxiv_digest::api {

class RedisPool {
 public:
  explicit RedisPool(std::string url) : url_(std::move(url)) {}

  // Returns the client to the pool when destroyed.
  using Lease = std::unique_ptr<RedisClient, std::function<void(RedisClient*)>>;

  // An idle client, or a new connection (Unavailable when Redis is down).
  absl::StatusOr<Lease> Acquire();

  // A connection answers PING (the admin server's readiness check).
  bool Ping();

  const std::string& url() const { return url_; }

 private:
  void Release(RedisClient* client);

  std::string url_;
  std::mutex mu_;
  std::vector<std::unique_ptr<RedisClient>> idle_;  // guarded by mu_
};

}  // namespace arxiv_digest::api
