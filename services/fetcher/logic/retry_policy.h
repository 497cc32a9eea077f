// When to try an arXiv request again and how long to wait first. Pure
// logic: the adapter sends, sleeps and counts; this only decides.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "lib/http/http_client.h"

namespace arxiv_digest {

struct RetryOptions {
  int max_retries = 4;                           // attempts after the first
  std::chrono::milliseconds base_backoff{2000};  // doubled per attempt
  std::chrono::milliseconds max_backoff{60000};
  // A Retry-After longer than this is not waited for: the request fails with
  // a message saying so (the next cycle tries again) instead of blocking a
  // replica for an hour.
  std::chrono::milliseconds max_retry_after{300000};
};

// The label of arxiv_fetcher_http_requests_total{outcome}: ok, not_modified,
// rate_limited (429), unavailable (503), server_error (other 5xx),
// client_error (other 4xx), redirect (3xx other than 304), timeout,
// transport_error.
std::string ClassifyOutcome(const absl::StatusOr<HttpResponse>& result);

struct RetryDecision {
  bool retry = false;
  std::chrono::milliseconds delay{0};
  std::string why;  // for the log line: "HTTP 429, Retry-After 30 s"
};

// `retries_done` counts the retries already made for this request (0 after
// the first attempt). Retried: transport errors, timeouts, 429 and 5xx;
// 429/503 wait for Retry-After when given (else the backoff), the others
// back off exponentially. Never retried: success, 304, other 4xx.
RetryDecision DecideRetry(int retries_done,
                          const absl::StatusOr<HttpResponse>& result,
                          std::chrono::system_clock::time_point now,
                          const RetryOptions& options);

// Retry-After as delta-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015
// 07:28:00 GMT", relative to now; a past date is 0). nullopt when invalid.
std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace arxiv_digest
