#include "lib/http/retrying_http_client.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/core/shutdown.h"
#include "lib/log/log.h"

namespace arxiv_digest {

RetryingHttpClient::RetryingHttpClient(HttpClient& inner, RetryPolicy policy,
                                       Clock& clock, RetryObserver observer,
                                       RetryingHttpClientHooks hooks)
    : inner_(inner),
      policy_(policy),
      clock_(clock),
      observer_(std::move(observer)),
      hooks_(std::move(hooks)),
      rng_(std::random_device{}()) {
  if (!hooks_.shutdown_requested) hooks_.shutdown_requested = ShutdownRequested;
}

double RetryingHttpClient::Random01() {
  if (hooks_.random01) return hooks_.random01();
  std::lock_guard<std::mutex> lock(rng_mu_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
}

absl::StatusOr<HttpResponse> RetryingHttpClient::Send(
    const HttpRequest& request) {
  if (request.url.rfind("file://", 0) == 0) return inner_.Send(request);
  const auto call_start = clock_.Monotonic();
  // Scheme and host only: a path may hold a secret (Slack webhook token).
  absl::StatusOr<std::pair<std::string, std::string>> parts =
      SplitUrl(request.url);
  const std::string host = parts.ok() ? parts->first : "(invalid URL)";
  auto give_up = [&](int attempts, const RetryDecision& decision) {
    LogWarning("HTTP request failed", {{"host", host},
                                       {"why", decision.why},
                                       {"attempts", std::to_string(attempts)}});
    if (observer_.on_give_up) observer_.on_give_up(attempts, decision);
  };
  for (int attempt = 1;; ++attempt) {
    const auto start = clock_.Monotonic();
    absl::StatusOr<HttpResponse> result = inner_.Send(request);
    const double seconds =
        std::chrono::duration<double>(clock_.Monotonic() - start).count();

    std::optional<std::string> transient;
    if (result.ok() && hooks_.transient_response &&
        !IsRetryableOutcome(ClassifyOutcome(result))) {
      transient = hooks_.transient_response(*result);
    }
    if (observer_.on_attempt) {
      observer_.on_attempt(transient ? "bad_response" : ClassifyOutcome(result),
                           seconds);
    }

    RetryDecision decision;
    if (transient) {
      decision.why = absl::StrCat("HTTP ", result->status, ": ", *transient);
      if (attempt >= std::max(1, policy_.max_attempts)) {
        decision.why += absl::StrCat(" (gave up after ", attempt,
                                     attempt == 1 ? " attempt)" : " attempts)");
      } else {
        decision.retry = true;
        decision.delay =
            Backoff(attempt, policy_, policy_.jitter > 0 ? Random01() : 0.5);
      }
    } else {
      decision = DecideRetry(
          attempt, result, clock_.Now(), policy_,
          policy_.jitter > 0 && IsRetryableOutcome(ClassifyOutcome(result))
              ? Random01()
              : 0.5);
    }

    if (!decision.retry) {
      // Only failures worth a retry are logged here: a 404 or 304 is the
      // caller's to judge.
      if (transient || IsRetryableOutcome(ClassifyOutcome(result))) {
        give_up(attempt, decision);
      }
      return result;
    }
    if (policy_.deadline.count() > 0) {
      const auto wake = clock_.Monotonic() + decision.delay;
      if (wake - call_start > policy_.deadline) {
        decision.retry = false;
        decision.why += absl::StrCat(" (retry in ", decision.delay.count(),
                                     " ms would pass the ",
                                     policy_.deadline.count(), " ms deadline)");
        give_up(attempt, decision);
        return result;
      }
    }
    if (hooks_.shutdown_requested()) {
      decision.retry = false;
      decision.why += " (shutdown requested; not retrying)";
      give_up(attempt, decision);
      return result;
    }
    LogWarning("HTTP request failed, retrying",
               {{"host", host},
                {"why", decision.why},
                {"attempt", std::to_string(attempt)},
                {"wait_ms", std::to_string(decision.delay.count())}});
    if (observer_.on_retry) observer_.on_retry(attempt, decision);
    clock_.SleepFor(decision.delay);
    if (hooks_.shutdown_requested()) {
      decision.retry = false;
      decision.why += " (shutdown requested during the wait; not retrying)";
      give_up(attempt, decision);
      return result;
    }
  }
}

}  // namespace arxiv_digest
