// The LLM client decorator waits for the shared buckets before each call.
#include "services/scorer/adapters/rate_limited_llm_client.h"

#include <gtest/gtest.h>

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

TEST(RateLimitedLlmClientTest, WaitsForRequestBudget) {
  auto server = testing::RedisServer::Start();
  ASSERT_TRUE(server.ok());
  auto redis = *RedisClient::Connect((*server)->url());
  CountingLlm inner;
  std::vector<std::chrono::milliseconds> waits;
  // 2 requests per minute.
  RateLimitedLlmClient client(
      inner,
      std::make_unique<RedisTokenBucket>(*redis, "rpm", 2,
                                         std::chrono::minutes(1)),
      nullptr, 0, [&](std::chrono::milliseconds d) {
        waits.push_back(d);
        // Simulate the wait passing by refilling the bucket directly.
        redis->Command({"HSET", "rpm", "tokens", "2"}).IgnoreError();
      });
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
  int naps = 0;
  // 1000 tokens per minute; each call needs 100 (prompt) + 300 (completion).
  RateLimitedLlmClient client(
      inner, nullptr,
      std::make_unique<RedisTokenBucket>(*redis, "tpm", 1000,
                                         std::chrono::minutes(1)),
      300, [&](std::chrono::milliseconds) {
        ++naps;
        redis->Command({"HSET", "tpm", "tokens", "1000"}).IgnoreError();
      });
  std::string prompt(400, 'x');
  ASSERT_TRUE(client.Complete(prompt).ok());
  ASSERT_TRUE(client.Complete(prompt).ok());
  EXPECT_EQ(naps, 0);
  ASSERT_TRUE(client.Complete(prompt).ok());  // 1200 > 1000: must wait
  EXPECT_EQ(naps, 1);
}

}  // namespace
}  // namespace arxiv_digest
