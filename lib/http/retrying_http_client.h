// The one retrying HttpClient: wraps a transport (HttplibClient, a gated
// client, a test fake) and retries per a RetryPolicy (lib/http/
// retry_policy.h): transport errors, timeouts, 429 and 5xx are retried with
// exponential backoff or after Retry-After, within an attempt count and an
// optional deadline; waits go through the injected Clock.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "absl/status/statusor.h"
#include "lib/core/clock.h"
#include "lib/http/http_client.h"
#include "lib/http/retry_policy.h"

namespace arxiv_digest {

struct RetryObserver {
  // After every attempt: the ClassifyOutcome label ("bad_response" when
  // transient_response declared a response retryable) and the attempt's
  // duration on the clock's monotonic time.
  std::function<void(const std::string& outcome, double seconds)> on_attempt;
  // Before waiting for retry `attempt` + 1 (`attempt` = attempts done).
  std::function<void(int attempt, const RetryDecision& decision)> on_retry;
  // When a retryable failure is returned without another attempt (attempts
  // used up, Retry-After over the bound, deadline, shutdown): decision.why
  // says which, for the caller's error message.
  std::function<void(int attempts, const RetryDecision& decision)> on_give_up;
};

struct RetryingHttpClientHooks {
  // Lets a caller declare an otherwise final response retryable: returns the
  // reason (e.g. the LLM client's "200 whose body is not a completion"), or
  // nullopt to keep the status-based decision. Such a response is retried
  // with the backoff, within the same attempt count and deadline.
  std::function<std::optional<std::string>(const HttpResponse&)>
      transient_response;
  // Uniform in [0, 1), for jitter. Default: a mt19937 seeded from
  // std::random_device. Tests pass a fixed sequence.
  std::function<double()> random01;
  // Default: ShutdownRequested() (lib/core/shutdown.h). Tests inject it
  // because the process-wide flag cannot be cleared.
  std::function<bool()> shutdown_requested;
};

class RetryingHttpClient : public HttpClient {
 public:
  RetryingHttpClient(HttpClient& inner, RetryPolicy policy, Clock& clock,
                     RetryObserver observer = {},
                     RetryingHttpClientHooks hooks = {});

  // The last attempt's result: a response (possibly still 429/5xx once the
  // retries are used up) or the transport error. file:// URLs are sent once
  // (local files, nothing to wait for). Stops without retrying once shutdown
  // was requested. Thread-safe if the inner client and the observer are.
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

  const RetryPolicy& policy() const { return policy_; }

 private:
  double Random01();

  HttpClient& inner_;
  RetryPolicy policy_;
  Clock& clock_;
  RetryObserver observer_;
  RetryingHttpClientHooks hooks_;
  std::mutex rng_mu_;
  std::mt19937_64 rng_;
};

}  // namespace arxiv_digest
