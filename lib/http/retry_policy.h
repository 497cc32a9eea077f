// When to send an HTTP request again and how long to wait first. Pure logic
// shared by every retrying caller (arXiv fetcher, LLM client, delivery
// sinks): RetryingHttpClient sends, sleeps and reports; this only decides.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/http/http_client.h"

namespace arxiv_digest {

struct RetryPolicy {
  int max_attempts = 5;  // the first attempt included; < 1 acts as 1
  std::chrono::milliseconds base_backoff{2000};  // doubled per retry
  std::chrono::milliseconds max_backoff{60000};  // caps the backoff
  // A Retry-After longer than this is not waited for: the call gives up with
  // a message saying so (a later cycle tries again) instead of blocking a
  // worker for an hour. With clamp_retry_after it is waited for only this
  // long instead.
  std::chrono::milliseconds max_retry_after{300000};
  bool clamp_retry_after = false;
  // Spread of the backoff (not of Retry-After): 0 = none, 0.5 = the backoff
  // times a factor uniform in [0.5, 1.5], so many clients do not retry in
  // lockstep. Clamped to [0, 1].
  double jitter = 0;
  // Budget of the whole call, attempts and waits included: no retry is
  // started whose wait would end after it. 0 = none.
  std::chrono::milliseconds deadline{0};
};

// Marks an error as final for this call: DecideRetry never retries it,
// whatever its code (e.g. a request that was never sent because the shared
// request gate already waited its bound). Code and message stay as they are.
absl::Status NotRetryable(absl::Status status);
bool IsNotRetryable(const absl::Status& status);

// The policy of callers that must not stall on a provider's long
// Retry-After (the LLM client, the Slack sink): up to `max_attempts`,
// backoff from `base_backoff` doubling to `max_backoff`, and a Retry-After
// waited for at most `max_backoff`.
RetryPolicy CappedRetryPolicy(int max_attempts,
                              std::chrono::milliseconds base_backoff,
                              std::chrono::milliseconds max_backoff,
                              double jitter = 0);

// Outcome label of one attempt (metrics, logs): ok (2xx), not_modified
// (304), rate_limited (429), unavailable (503), server_error (other 5xx),
// client_error (other 4xx), redirect (other 3xx and anything else), timeout
// (DeadlineExceeded), too_large (ResourceExhausted: over the reply cap; not
// retried), transport_error (any other error status).
std::string ClassifyOutcome(const absl::StatusOr<HttpResponse>& result);

// True for the outcomes worth another attempt: timeout, transport_error,
// rate_limited, unavailable, server_error.
bool IsRetryableOutcome(std::string_view outcome);

struct RetryDecision {
  bool retry = false;
  std::chrono::milliseconds delay{0};  // to wait before the next attempt
  // For the log line / final error: "HTTP 429, Retry-After 30", "HTTP 503
  // (gave up after 5 attempts)", "HTTP 429, Retry-After 3600 s exceeds the
  // 300 s bound; not retrying now".
  std::string why;
};

// `attempts_done` counts the attempts already made for this request (1
// after the first). Retried: transport errors, timeouts, 429 and 5xx, until
// policy.max_attempts; 429/503 wait for Retry-After when it is valid (see
// ParseRetryAfter), the others back off exponentially (base_backoff *
// 2^(attempts_done-1), capped at max_backoff, then jittered). Never retried:
// 2xx, 304, other 3xx, other 4xx. `random01` is uniform in [0, 1) and only
// used for jitter (0.5 = the unjittered backoff), so this stays pure.
// policy.deadline is not checked here (the caller knows the elapsed time).
RetryDecision DecideRetry(int attempts_done,
                          const absl::StatusOr<HttpResponse>& result,
                          std::chrono::system_clock::time_point now,
                          const RetryPolicy& policy, double random01 = 0.5);

// The backoff before retry number `attempts_done` (1 = the first retry):
// base_backoff * 2^(attempts_done-1) capped at max_backoff, then scaled by
// the jitter factor 1 + jitter * (2 * random01 - 1). Never negative.
std::chrono::milliseconds Backoff(int attempts_done, const RetryPolicy& policy,
                                  double random01 = 0.5);

// The longest wait ParseRetryAfter returns: larger values saturate to it.
inline constexpr std::chrono::milliseconds kMaxRetryAfter =
    std::chrono::hours(24 * 365);

// Retry-After as delta-seconds ("120", surrounding spaces allowed) or an
// HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT"; also the obsolete RFC 850 and
// asctime forms), relative to `now` (a past date is 0). Saturates at
// kMaxRetryAfter: "99999999999999999999" is a year, never a wrapped or negative
// wait. nullopt when invalid (empty, negative, signed, fractional, garbage).
std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace arxiv_digest
