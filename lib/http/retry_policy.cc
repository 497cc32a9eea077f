#include "lib/http/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace arxiv_digest {
namespace {

constexpr char kNotRetryablePayload[] = "arxiv-digest/not-retryable";

constexpr int64_t kMaxRetryAfterSeconds =
    std::chrono::duration_cast<std::chrono::seconds>(kMaxRetryAfter).count();

// Digits only (RFC 9110 delta-seconds = 1*DIGIT), accumulated with
// saturation so no input can overflow.
std::optional<int64_t> ParseDeltaSeconds(absl::string_view v) {
  if (v.empty()) return std::nullopt;
  int64_t seconds = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    if (seconds < kMaxRetryAfterSeconds) seconds = seconds * 10 + (c - '0');
  }
  return std::min(seconds, kMaxRetryAfterSeconds);
}

}  // namespace

std::string ClassifyOutcome(const absl::StatusOr<HttpResponse>& result) {
  if (!result.ok()) {
    switch (result.status().code()) {
      case absl::StatusCode::kDeadlineExceeded:
        return "timeout";
      case absl::StatusCode::kResourceExhausted:
        // Over the transport's reply cap: asking again would only be billed
        // again for the same oversized answer.
        return "too_large";
      default:
        return "transport_error";
    }
  }
  int status = result->status;
  if (status >= 200 && status < 300) return "ok";
  if (status == 304) return "not_modified";
  if (status == 429) return "rate_limited";
  if (status == 503) return "unavailable";
  if (status >= 500) return "server_error";
  if (status >= 400) return "client_error";
  return "redirect";
}

bool IsRetryableOutcome(std::string_view outcome) {
  return outcome == "timeout" || outcome == "transport_error" ||
         outcome == "rate_limited" || outcome == "unavailable" ||
         outcome == "server_error";
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now) {
  absl::string_view v =
      absl::StripAsciiWhitespace(absl::string_view(value.data(), value.size()));
  if (v.empty()) return std::nullopt;
  if (absl::ascii_isdigit(static_cast<unsigned char>(v.front()))) {
    std::optional<int64_t> seconds = ParseDeltaSeconds(v);
    if (!seconds) return std::nullopt;
    return std::chrono::milliseconds(*seconds * 1000);
  }
  // HTTP-date: IMF-fixdate, and the obsolete RFC 850 and asctime forms that
  // RFC 9110 section 5.6.7 still asks recipients to accept.
  absl::Time when;
  std::string err;
  bool parsed = false;
  for (const char* format :
       {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT",
        "%a %b %e %H:%M:%S %Y"}) {
    if (absl::ParseTime(format, std::string(v), &when, &err)) {
      parsed = true;
      break;
    }
  }
  if (!parsed) return std::nullopt;
  absl::Duration delta = when - absl::FromChrono(now);
  if (delta < absl::ZeroDuration()) return std::chrono::milliseconds(0);
  delta = std::min(delta, absl::FromChrono(kMaxRetryAfter));
  return std::chrono::milliseconds(absl::ToInt64Milliseconds(delta));
}

std::chrono::milliseconds Backoff(int attempts_done, const RetryPolicy& policy,
                                  double random01) {
  // Shift bounded so huge attempt counts cannot overflow; the cap applies
  // long before 2^20 for any sane base.
  int shift = std::clamp(attempts_done - 1, 0, 20);
  std::chrono::milliseconds base =
      std::max(policy.base_backoff, std::chrono::milliseconds(0));
  std::chrono::milliseconds backoff =
      std::min(std::max(policy.max_backoff, std::chrono::milliseconds(0)),
               base * (int64_t{1} << shift));
  double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  if (jitter == 0) return backoff;
  double r = std::clamp(random01, 0.0, 1.0);
  double factor = 1.0 + jitter * (2.0 * r - 1.0);
  return std::chrono::milliseconds(
      std::llround(static_cast<double>(backoff.count()) * factor));
}

RetryDecision DecideRetry(int attempts_done,
                          const absl::StatusOr<HttpResponse>& result,
                          std::chrono::system_clock::time_point now,
                          const RetryPolicy& policy, double random01) {
  RetryDecision decision;
  decision.why = result.ok() ? absl::StrCat("HTTP ", result->status)
                             : std::string(result.status().message());
  if (!result.ok() && IsNotRetryable(result.status())) return decision;
  if (!IsRetryableOutcome(ClassifyOutcome(result))) return decision;
  if (attempts_done >= std::max(1, policy.max_attempts)) {
    decision.why +=
        absl::StrCat(" (gave up after ", attempts_done,
                     attempts_done == 1 ? " attempt)" : " attempts)");
    return decision;
  }
  decision.delay = Backoff(attempts_done, policy, random01);
  if (result.ok() && (result->status == 429 || result->status == 503)) {
    std::string header = result->Header("retry-after");
    if (std::optional<std::chrono::milliseconds> after =
            ParseRetryAfter(header, now)) {
      if (*after > policy.max_retry_after) {
        if (!policy.clamp_retry_after) {
          decision.why += absl::StrCat(", Retry-After ", after->count() / 1000,
                                       " s exceeds the ",
                                       policy.max_retry_after.count() / 1000,
                                       " s bound; not retrying now");
          return decision;
        }
        *after = policy.max_retry_after;
      }
      decision.delay = *after;
      decision.why +=
          absl::StrCat(", Retry-After ", absl::StripAsciiWhitespace(header));
    }
  }
  decision.retry = true;
  return decision;
}

RetryPolicy CappedRetryPolicy(int max_attempts,
                              std::chrono::milliseconds base_backoff,
                              std::chrono::milliseconds max_backoff,
                              double jitter) {
  RetryPolicy policy;
  policy.max_attempts = max_attempts;
  policy.base_backoff = base_backoff;
  policy.max_backoff = max_backoff;
  policy.max_retry_after = max_backoff;
  policy.clamp_retry_after = true;
  policy.jitter = jitter;
  return policy;
}

absl::Status NotRetryable(absl::Status status) {
  if (!status.ok()) status.SetPayload(kNotRetryablePayload, absl::Cord("1"));
  return status;
}

bool IsNotRetryable(const absl::Status& status) {
  return status.GetPayload(kNotRetryablePayload).has_value();
}

}  // namespace arxiv_digest
