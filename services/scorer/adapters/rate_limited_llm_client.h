// LlmClient decorator that waits for the shared Redis token buckets
// (requests per minute, estimated tokens per minute) before each call, so
// all scorer replicas together stay inside the provider's limits.
#pragma once

#include <memory>

#include "lib/core/clock.h"
#include "lib/redis/rate_limiter.h"
#include "services/scorer/logic/scoring_backend.h"

namespace arxiv_digest {

class RateLimitedLlmClient : public LlmClient {
 public:
  // Either bucket may be null (no limit of that kind). Waits go through
  // `clock`.
  RateLimitedLlmClient(LlmClient& inner,
                       std::unique_ptr<RedisTokenBucket> requests,
                       std::unique_ptr<RedisTokenBucket> tokens,
                       int expected_completion_tokens,
                       Clock& clock = SystemClock());
  absl::StatusOr<ChatCompletion> Complete(const std::string& prompt) override;

  // Rough token count of a prompt: ~4 bytes per token for English text.
  static int64_t EstimateTokens(const std::string& prompt);

 private:
  absl::Status WaitFor(RedisTokenBucket& bucket, double amount);

  LlmClient& inner_;
  std::unique_ptr<RedisTokenBucket> requests_;
  std::unique_ptr<RedisTokenBucket> tokens_;
  int expected_completion_tokens_;
  Clock& clock_;
};

}  // namespace arxiv_digest
