// The LLM client decorator waits for the shared buckets before each call.
#include "services/scorer/adapters/rate_limited_llm_client.h"

#include <gtest/gtest.h>

#include <functional>

#include "tests/support/fake_clock.h"
#include "tests/support/redis_server.h"

namespace arxiv_digest {
namespace {

class CountingLlm : public LlmClient {
 public:
  int calls = 0;
  absl::StatusOr<ChatCompletion> Complete(const std::string&) override {
    ++calls;
    return ChatCompletion{};
  }
};

// A fake clock whose sleeps also let the test simulate the wait passing.
class RefillingClock : public FakeClock {
 public:
  explicit RefillingClock(std::function<void()> refill)
      : refill_(std::move(refill)) {}
  void SleepFor(std::chrono::milliseconds d) override {
    FakeClock::SleepFor(d);
    refill_();
  }

 private:
  std::function<void()> refill_;
};

TEST(RateLimitedLlmClientTest, WaitsForRequestBudget) {
  auto server = testing::RedisServer::Start();
  ASSERT_TRUE(server.ok());
  auto redis = *RedisClient::Connect((*server)->url());
  CountingLlm inner;
  // Simulate the wait passing by refilling the bucket directly.
  RefillingClock clock([&] {
    redis->Command({"HSET", "rpm", "tokens", "2"}).IgnoreError();
  });
  // 2 requests per minute.
  RateLimitedLlmClient client(inner,
                              std::make_unique<RedisTokenBucket>(
                                  *redis, "rpm", 2, std::chrono::minutes(1)),
                              nullptr, 0, clock);
  const std::vector<std::chrono::milliseconds>& waits = clock.sleeps();
  ASSERT_TRUE(client.Complete("a").ok());
  ASSERT_TRUE(client.Complete("b").ok());
  EXPECT_TRUE(waits.empty());
  ASSERT_TRUE(client.Complete("c").ok());
  ASSERT_EQ(waits.size(), 1u);
  // The next token is 30 s away; waits are capped at 1 s naps.
  EXPECT_EQ(waits[0], std::chrono::milliseconds(1000));
  EXPECT_EQ(inner.calls, 3);
}

TEST(RateLimitedLlmClientTest, TokenBudgetUsesThePromptEstimate) {
  EXPECT_EQ(RateLimitedLlmClient::EstimateTokens(std::string(400, 'x')), 100);
  auto server = testing::RedisServer::Start();
  ASSERT_TRUE(server.ok());
  auto redis = *RedisClient::Connect((*server)->url());
  CountingLlm inner;
  RefillingClock clock([&] {
    redis->Command({"HSET", "tpm", "tokens", "1000"}).IgnoreError();
  });
  auto naps = [&] { return clock.sleeps().size(); };
  // 1000 tokens per minute; each call needs 100 (prompt) + 300 (completion).
  RateLimitedLlmClient client(inner, nullptr,
                              std::make_unique<RedisTokenBucket>(
                                  *redis, "tpm", 1000, std::chrono::minutes(1)),
                              300, clock);
  std::string prompt(400, 'x');
  ASSERT_TRUE(client.Complete(prompt).ok());
  ASSERT_TRUE(client.Complete(prompt).ok());
  EXPECT_EQ(naps(), 0u);
  ASSERT_TRUE(client.Complete(prompt).ok());  // 1200 > 1000: must wait
  EXPECT_EQ(naps(), 1u);
}

}  // namespace
}  // namespace arxiv_digest
