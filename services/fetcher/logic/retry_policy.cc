#include "services/fetcher/logic/retry_policy.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace arxiv_digest {

std::string ClassifyOutcome(const absl::StatusOr<HttpResponse>& result) {
  if (!result.ok()) {
    return result.status().code() == absl::StatusCode::kDeadlineExceeded
               ? "timeout"
               : "transport_error";
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

std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now) {
  absl::string_view v =
      absl::StripAsciiWhitespace(absl::string_view(value.data(), value.size()));
  if (v.empty()) return std::nullopt;
  int64_t seconds = 0;
  if (absl::SimpleAtoi(v, &seconds)) {
    if (seconds < 0) return std::nullopt;
    // Bound before converting: a hostile "99999999999999" must not overflow.
    seconds = std::min<int64_t>(seconds, 365LL * 24 * 3600);
    return std::chrono::milliseconds(seconds * 1000);
  }
  absl::Time when;
  std::string err;
  if (!absl::ParseTime("%a, %d %b %Y %H:%M:%S GMT", std::string(v), &when,
                       &err)) {
    return std::nullopt;
  }
  absl::Duration delta = when - absl::FromChrono(now);
  if (delta < absl::ZeroDuration()) return std::chrono::milliseconds(0);
  delta = std::min(delta, absl::Hours(24 * 365));
  return std::chrono::milliseconds(absl::ToInt64Milliseconds(delta));
}

RetryDecision DecideRetry(int retries_done,
                          const absl::StatusOr<HttpResponse>& result,
                          std::chrono::system_clock::time_point now,
                          const RetryOptions& options) {
  RetryDecision decision;
  std::string outcome = ClassifyOutcome(result);
  bool retryable = outcome == "timeout" || outcome == "transport_error" ||
                   outcome == "rate_limited" || outcome == "unavailable" ||
                   outcome == "server_error";
  decision.why = result.ok() ? absl::StrCat("HTTP ", result->status)
                             : std::string(result.status().message());
  if (!retryable) return decision;
  if (retries_done >= options.max_retries) {
    decision.why +=
        absl::StrCat(" (gave up after ", retries_done + 1, " attempts)");
    return decision;
  }
  // Exponential backoff, capped; shifts bounded so huge max_retries values
  // cannot overflow.
  int shift = std::min(retries_done, 20);
  std::chrono::milliseconds backoff = std::min(
      options.max_backoff, options.base_backoff * (int64_t{1} << shift));
  decision.delay = backoff;
  if (result.ok() && (result->status == 429 || result->status == 503)) {
    std::string header = result->Header("retry-after");
    if (std::optional<std::chrono::milliseconds> after =
            ParseRetryAfter(header, now)) {
      if (*after > options.max_retry_after) {
        decision.why += absl::StrCat(", Retry-After ", after->count() / 1000,
                                     " s exceeds the ",
                                     options.max_retry_after.count() / 1000,
                                     " s bound; not retrying now");
        return decision;
      }
      decision.delay = std::max(*after, std::chrono::milliseconds(0));
      decision.why += absl::StrCat(", Retry-After ", header);
    }
  }
  decision.retry = true;
  return decision;
}

}  // namespace arxiv_digest
