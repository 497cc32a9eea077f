// A real redis-server per test, on a free loopback port with its own data
// dir, plus a tiny synchronous client to inspect what the services wrote.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/redis/redis_client.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest::testing {

// Binds 127.0.0.1:0, reads the port the kernel chose and closes the socket.
// Another process may take the port before the caller binds it: callers
// retry (RedisServer does).
absl::StatusOr<int> PickFreeLoopbackPort();

struct RedisServerOptions {
  bool appendonly = false;
  // With appendonly: fsync every write, so even Kill() (SIGKILL) loses
  // nothing and crash-recovery tests are deterministic.
  bool appendfsync_always = true;
  std::chrono::milliseconds start_deadline{10000};
  std::string binary = "/usr/bin/redis-server";
  // More command-line settings, e.g. {"--maxmemory", "1gb"}.
  std::vector<std::string> extra_args;
};

class RedisServer {
 public:
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start(
      RedisServerOptions options = {});

  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;
  ~RedisServer();  // stops the server and removes its data dir

  int port() const { return port_; }
  std::string url() const;  // "redis://127.0.0.1:P"
  const std::string& dir() const { return dir_; }
  bool Running() const;

  absl::Status Stop();  // SIGTERM, waits for exit (redis flushes the AOF)
  void Kill();          // SIGKILL: a crash
  // Starts again on the same port and dir (so an AOF survives) and waits
  // until PING answers PONG (not LOADING).
  absl::Status Restart();

  // redis-server's own log (stdout), for failure messages.
  std::string Log() const;

 private:
  RedisServer() = default;
  absl::Status Launch();  // start on port_/dir_ and wait for PONG

  RedisServerOptions options_;
  int port_ = 0;
  std::string dir_;
  std::unique_ptr<Subprocess> process_;
  int generation_ = 0;  // log file name per launch, so restarts keep logs
};

// The services' own client (lib/redis) underneath, so tests inspect Redis
// exactly as the services see it; replies are lib's RedisReply.
using RedisReply = ::arxiv_digest::RedisReply;

// Synchronous connection for assertions and fixture setup: lib's client
// plus conveniences. Redis error replies are statuses (FailedPrecondition).
class RedisClient {
 public:
  static absl::StatusOr<RedisClient> Connect(
      int port, std::chrono::milliseconds timeout = std::chrono::seconds(2));

  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& args) {
    return client_->Command(args);
  }
  absl::StatusOr<std::optional<std::string>> HGet(const std::string& key,
                                                  const std::string& field) {
    return client_->HGet(key, field);
  }
  absl::StatusOr<std::map<std::string, std::string>> HGetAll(
      const std::string& key) {
    return client_->HGetAll(key);
  }
  absl::StatusOr<long long> XLen(const std::string& stream);
  // Number of entries delivered to `group` and not yet XACKed.
  absl::StatusOr<long long> XPendingCount(const std::string& stream,
                                          const std::string& group);
  absl::StatusOr<std::vector<std::string>> Keys(const std::string& pattern);

 private:
  explicit RedisClient(std::unique_ptr<::arxiv_digest::RedisClient> client)
      : client_(std::move(client)) {}
  std::unique_ptr<::arxiv_digest::RedisClient> client_;
};

// One-shot: connect, run one command, disconnect.
absl::StatusOr<RedisReply> RedisCommand(int port,
                                        const std::vector<std::string>& args);

}  // namespace arxiv_digest::testing
