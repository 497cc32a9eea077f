#include "services/scorer/adapters/rate_limited_llm_client.h"

#include <algorithm>

#include "lib/core/shutdown.h"

namespace arxiv_digest {

RateLimitedLlmClient::RateLimitedLlmClient(
    LlmClient& inner, std::unique_ptr<RedisTokenBucket> requests,
    std::unique_ptr<RedisTokenBucket> tokens, int expected_completion_tokens,
    Clock& clock)
    : inner_(inner),
      requests_(std::move(requests)),
      tokens_(std::move(tokens)),
      expected_completion_tokens_(expected_completion_tokens),
      clock_(clock) {}

int64_t RateLimitedLlmClient::EstimateTokens(const std::string& prompt) {
  return static_cast<int64_t>(prompt.size() + 3) / 4;
}

absl::Status RateLimitedLlmClient::WaitFor(RedisTokenBucket& bucket,
                                           double amount) {
  while (true) {
    absl::StatusOr<std::chrono::milliseconds> wait = bucket.TryAcquire(amount);
    if (!wait.ok()) return wait.status();
    if (wait->count() <= 0) return absl::OkStatus();
    if (ShutdownRequested()) {
      return absl::CancelledError(
          "shutting down while waiting for the rate limit");
    }
    // Short naps keep shutdown responsive during long waits.
    clock_.SleepFor(std::min(*wait, std::chrono::milliseconds(1000)));
  }
}

absl::StatusOr<ChatCompletion> RateLimitedLlmClient::Complete(
    const std::string& prompt) {
  if (requests_) {
    if (absl::Status s = WaitFor(*requests_, 1); !s.ok()) return s;
  }
  if (tokens_) {
    double estimate = static_cast<double>(EstimateTokens(prompt) +
                                          expected_completion_tokens_);
    if (absl::Status s = WaitFor(*tokens_, estimate); !s.ok()) return s;
  }
  return inner_.Complete(prompt);
}

}  // namespace arxiv_digest
