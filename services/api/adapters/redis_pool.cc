#include "services/api/adapters/redis_pool.h"

namespace arxiv_digest::api {
namespace {
// More idle connections than this are closed on release: bursts must not
// leave hundreds of sockets open.
constexpr size_t kMaxIdle = 16;
}  // namespace

absl::StatusOr<RedisPool::Lease> RedisPool::Acquire() {
  std::unique_ptr<RedisClient> client;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      client = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (client) {
    absl::StatusOr<RedisReply> pong = client->Command({"PING"});
    if (!pong.ok() && absl::IsUnavailable(pong.status())) {
      // The server went away under the idle connections: all of them are
      // broken, not just this one.
      client.reset();
      std::vector<std::unique_ptr<RedisClient>> stale;
      std::lock_guard<std::mutex> lock(mu_);
      stale.swap(idle_);
    }
  }
  if (!client) {
    absl::StatusOr<std::unique_ptr<RedisClient>> fresh =
        RedisClient::Connect(url_);
    if (!fresh.ok()) return fresh.status();
    client = *std::move(fresh);
    std::lock_guard<std::mutex> lock(mu_);
    ++connects_;
  }
  return Lease(client.release(), [this](RedisClient* c) { Release(c); });
}

int RedisPool::connects() const {
  std::lock_guard<std::mutex> lock(mu_);
  return connects_;
}

void RedisPool::Release(RedisClient* client) {
  std::unique_ptr<RedisClient> owned(client);
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(owned));
}

bool RedisPool::Ping() {
  absl::StatusOr<Lease> redis = Acquire();
  return redis.ok() && (**redis).Command({"PING"}).ok();
}

}  // namespace arxiv_digest::api
