// Redis connections for gRPC and web handler threads: hiredis contexts are
// not thread-safe, and handlers run on whichever thread the server picks,
// so each call borrows a client and gives it back.
//
// Reconnects: an idle connection may have been cut while it waited (a
// Redis restart, an idle timeout), and hiredis only notices on the next
// command, which would fail the caller's first request. So every idle
// connection answers a PING before it is lent out; one that cannot (a
// broken context: UNAVAILABLE, not a Redis error reply) is dropped with
// every other idle connection (they went down together) and a fresh one is
// opened, once. The first call after a restart thus succeeds; a call whose
// connection breaks mid-request still fails (its writes may have landed,
// so it is not replayed) and the next one reconnects.
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

  // A checked idle client, or a new connection (Unavailable when Redis is
  // down).
  absl::StatusOr<Lease> Acquire();

  // Connections opened since construction (tests: a restart reconnects).
  int connects() const;

  // A connection answers PING (the admin server's readiness check).
  bool Ping();

  const std::string& url() const { return url_; }

 private:
  void Release(RedisClient* client);

  std::string url_;
  mutable std::mutex mu_;
  int connects_ = 0;                                // guarded by mu_
  std::vector<std::unique_ptr<RedisClient>> idle_;  // guarded by mu_
};

}  // namespace arxiv_digest::api
