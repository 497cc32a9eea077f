// The shared token bucket against a real redis-server: several clients
// (like scorer replicas) together never get more than the budget.
#include "lib/redis/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/support/redis_server.h"

namespace arxiv_digest {
namespace {

class TokenBucketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  std::unique_ptr<RedisClient> Client() {
    auto c = RedisClient::Connect(server_->url());
    EXPECT_TRUE(c.ok());
    return *std::move(c);
  }
  std::unique_ptr<testing::RedisServer> server_;
};

TEST_F(TokenBucketTest, GrantsUpToCapacityThenSaysHowLongToWait) {
  auto redis = Client();
  // 10 per minute: a full bucket of 10, then one token every 6 s.
  RedisTokenBucket bucket(*redis, "rl:test", 10, std::chrono::minutes(1));
  for (int i = 0; i < 10; ++i) {
    auto wait = bucket.TryAcquire(1);
    ASSERT_TRUE(wait.ok()) << wait.status();
    EXPECT_EQ(wait->count(), 0) << "request " << i;
  }
  auto wait = bucket.TryAcquire(1);
  ASSERT_TRUE(wait.ok());
  EXPECT_GT(wait->count(), 5000);
  EXPECT_LE(wait->count(), 6000);
  // A request larger than the bucket is clamped: it waits at most a period.
  auto big = bucket.TryAcquire(1000);
  ASSERT_TRUE(big.ok());
  EXPECT_LE(big->count(), 60000);
}

// Eight "replicas" with their own connections hammer one bucket for a
// while: the grants never exceed capacity + refill over the elapsed time.
TEST_F(TokenBucketTest, ManyClientsShareOneBudget) {
  const double capacity = 20;
  const auto period = std::chrono::seconds(2);  // 10 tokens per second
  std::atomic<int> granted{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> replicas;
  for (int r = 0; r < 8; ++r) {
    replicas.emplace_back([&] {
      auto redis = Client();
      RedisTokenBucket bucket(*redis, "rl:shared", capacity, period);
      while (std::chrono::steady_clock::now() - start <
             std::chrono::milliseconds(1500)) {
        auto wait = bucket.TryAcquire(1);
        if (wait.ok() && wait->count() == 0) ++granted;
      }
    });
  }
  for (auto& t : replicas) t.join();
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  double allowed = capacity + 10.0 * elapsed;
  EXPECT_LE(granted.load(), allowed + 1) << "elapsed " << elapsed;
  EXPECT_GE(granted.load(), capacity) << "the initial bucket is available";
}

TEST_F(TokenBucketTest, DeadRedisIsAnError) {
  auto redis = Client();
  RedisTokenBucket bucket(*redis, "rl:x", 5, std::chrono::minutes(1));
  server_->Kill();
  EXPECT_FALSE(bucket.TryAcquire(1).ok());
}

}  // namespace
}  // namespace arxiv_digest
