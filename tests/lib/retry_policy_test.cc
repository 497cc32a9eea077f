#include "lib/http/retry_policy.h"

#include <gtest/gtest.h>

#include <chrono>
#include <climits>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace arxiv_digest {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

// 2024-01-01T00:00:00Z.
const std::chrono::system_clock::time_point kNow{seconds(1704067200)};

HttpResponse Response(int status, std::string retry_after = "") {
  HttpResponse r;
  r.status = status;
  if (!retry_after.empty()) r.headers.emplace("retry-after", retry_after);
  return r;
}

std::string HttpDate(std::chrono::system_clock::time_point t) {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", absl::FromChrono(t),
                          absl::UTCTimeZone());
}

TEST(ClassifyOutcomeTest, LabelsEveryKind) {
  EXPECT_EQ(ClassifyOutcome(Response(200)), "ok");
  EXPECT_EQ(ClassifyOutcome(Response(204)), "ok");
  EXPECT_EQ(ClassifyOutcome(Response(304)), "not_modified");
  EXPECT_EQ(ClassifyOutcome(Response(301)), "redirect");
  EXPECT_EQ(ClassifyOutcome(Response(429)), "rate_limited");
  EXPECT_EQ(ClassifyOutcome(Response(503)), "unavailable");
  EXPECT_EQ(ClassifyOutcome(Response(500)), "server_error");
  EXPECT_EQ(ClassifyOutcome(Response(502)), "server_error");
  EXPECT_EQ(ClassifyOutcome(Response(404)), "client_error");
  EXPECT_EQ(ClassifyOutcome(absl::DeadlineExceededError("slow")), "timeout");
  EXPECT_EQ(ClassifyOutcome(absl::UnavailableError("refused")),
            "transport_error");
}

TEST(ParseRetryAfterTest, DeltaSeconds) {
  EXPECT_EQ(ParseRetryAfter("120", kNow), milliseconds(120000));
  EXPECT_EQ(ParseRetryAfter("0", kNow), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("  7 ", kNow), milliseconds(7000));
}

// Regression (issue 10): services/scorer/adapters/openai_client.cc computed
// `retry_after * 1000` in int, so 2147484 s (just over INT_MAX ms) wrapped
// to a negative wait. The exact value must come back, above INT_MAX ms.
TEST(ParseRetryAfterTest, ValueAboveIntMaxMillisecondsDoesNotWrap) {
  std::optional<milliseconds> wait = ParseRetryAfter("2147484", kNow);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(wait->count(), int64_t{2147484} * 1000);
  EXPECT_GT(wait->count(), int64_t{INT_MAX});
}

TEST(ParseRetryAfterTest, HugeValuesSaturateAtAYear) {
  EXPECT_EQ(ParseRetryAfter("99999999999999999999", kNow), kMaxRetryAfter);
  EXPECT_EQ(ParseRetryAfter("9223372036854775807", kNow), kMaxRetryAfter);
  EXPECT_EQ(ParseRetryAfter("31536001", kNow), kMaxRetryAfter);
  EXPECT_EQ(ParseRetryAfter("31536000", kNow), kMaxRetryAfter);
  EXPECT_EQ(ParseRetryAfter("31535999", kNow), seconds(31535999));
}

TEST(ParseRetryAfterTest, RejectsInvalidValues) {
  for (const char* bad : {"", "   ", "-5", "-2147484", "+5", "1.5", "abc",
                          "12abc", "5 5", "0x10", "Wed, 99 Foo 2015"}) {
    EXPECT_EQ(ParseRetryAfter(bad, kNow), std::nullopt) << "'" << bad << "'";
  }
}

TEST(ParseRetryAfterTest, HttpDate) {
  EXPECT_EQ(ParseRetryAfter(HttpDate(kNow + seconds(45)), kNow),
            milliseconds(45000));
  EXPECT_EQ(ParseRetryAfter(" " + HttpDate(kNow + seconds(45)) + " ", kNow),
            milliseconds(45000));
  // The obsolete forms recipients must still accept (RFC 9110 5.6.7).
  EXPECT_EQ(ParseRetryAfter("Monday, 01-Jan-24 00:01:00 GMT", kNow),
            milliseconds(60000));
  EXPECT_EQ(ParseRetryAfter("Mon Jan  1 00:02:00 2024", kNow),
            milliseconds(120000));
  // A date in the past means "now".
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", kNow),
            milliseconds(0));
  // Far future dates saturate like large delta-seconds.
  EXPECT_EQ(ParseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", kNow),
            kMaxRetryAfter);
}

TEST(BackoffTest, DoublesUpToTheCap) {
  RetryPolicy policy;
  policy.base_backoff = milliseconds(1000);
  policy.max_backoff = milliseconds(5000);
  EXPECT_EQ(Backoff(1, policy), milliseconds(1000));
  EXPECT_EQ(Backoff(2, policy), milliseconds(2000));
  EXPECT_EQ(Backoff(3, policy), milliseconds(4000));
  EXPECT_EQ(Backoff(4, policy), milliseconds(5000));
  EXPECT_EQ(Backoff(1000, policy), milliseconds(5000));
  EXPECT_EQ(Backoff(INT_MAX, policy), milliseconds(5000));
}

TEST(BackoffTest, JitterStaysWithinItsBounds) {
  RetryPolicy policy;
  policy.base_backoff = milliseconds(1000);
  policy.max_backoff = milliseconds(60000);
  policy.jitter = 0.5;
  EXPECT_EQ(Backoff(1, policy, 0.0), milliseconds(500));
  EXPECT_EQ(Backoff(1, policy, 0.5), milliseconds(1000));
  EXPECT_EQ(Backoff(1, policy, 0.75), milliseconds(1250));
  EXPECT_EQ(Backoff(3, policy, 0.25), milliseconds(3000));
  for (double r = 0; r < 1; r += 0.01) {
    milliseconds b = Backoff(2, policy, r);
    EXPECT_GE(b, milliseconds(1000)) << r;
    EXPECT_LE(b, milliseconds(3000)) << r;
  }
  // Out-of-range inputs are clamped: never a negative wait.
  policy.jitter = 7;
  EXPECT_EQ(Backoff(1, policy, -3), milliseconds(0));
  EXPECT_EQ(Backoff(1, policy, 5), milliseconds(2000));
}

TEST(DecideRetryTest, NeverRetriesSuccessNotModifiedOrClientErrors) {
  RetryPolicy policy;
  for (int status : {200, 201, 204, 301, 304, 400, 401, 403, 404, 422}) {
    RetryDecision d = DecideRetry(1, Response(status), kNow, policy);
    EXPECT_FALSE(d.retry) << status;
    EXPECT_EQ(d.delay, milliseconds(0)) << status;
  }
}

TEST(DecideRetryTest, RetriesServerErrorsAndTransportFailuresWithBackoff) {
  RetryPolicy policy;
  policy.base_backoff = milliseconds(1000);
  RetryDecision d = DecideRetry(1, Response(500), kNow, policy);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, milliseconds(1000));
  EXPECT_EQ(d.why, "HTTP 500");
  d = DecideRetry(2, absl::UnavailableError("connection refused"), kNow,
                  policy);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, milliseconds(2000));
  EXPECT_EQ(d.why, "connection refused");
  d = DecideRetry(3, absl::DeadlineExceededError("read timeout"), kNow, policy);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, milliseconds(4000));
}

TEST(DecideRetryTest, GivesUpWhenAttemptsAreUsedUp) {
  RetryPolicy policy;
  policy.max_attempts = 3;
  EXPECT_TRUE(DecideRetry(2, Response(502), kNow, policy).retry);
  RetryDecision d = DecideRetry(3, Response(502), kNow, policy);
  EXPECT_FALSE(d.retry);
  EXPECT_EQ(d.why, "HTTP 502 (gave up after 3 attempts)");
  policy.max_attempts = 0;  // acts as 1
  EXPECT_FALSE(DecideRetry(1, Response(502), kNow, policy).retry);
}

TEST(DecideRetryTest, RateLimitAndUnavailableHonourRetryAfter) {
  RetryPolicy policy;
  RetryDecision d = DecideRetry(1, Response(429, "30"), kNow, policy);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, milliseconds(30000));
  EXPECT_EQ(d.why, "HTTP 429, Retry-After 30");
  d = DecideRetry(1, Response(503, HttpDate(kNow + seconds(12))), kNow, policy);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, milliseconds(12000));
  // Jitter never touches a server-given wait.
  policy.jitter = 0.5;
  EXPECT_EQ(DecideRetry(1, Response(429, "30"), kNow, policy, 0.0).delay,
            milliseconds(30000));
}

TEST(DecideRetryTest, RetryAfterIgnoredOnOtherStatusesAndWhenInvalid) {
  RetryPolicy policy;
  policy.base_backoff = milliseconds(1500);
  EXPECT_EQ(DecideRetry(1, Response(500, "30"), kNow, policy).delay,
            milliseconds(1500));
  EXPECT_EQ(DecideRetry(1, Response(429, "-30"), kNow, policy).delay,
            milliseconds(1500));
  EXPECT_EQ(DecideRetry(1, Response(429, "soon"), kNow, policy).delay,
            milliseconds(1500));
}

TEST(DecideRetryTest, RetryAfterOverTheBoundIsNotWaitedFor) {
  RetryPolicy policy;
  policy.max_retry_after = seconds(300);
  RetryDecision d = DecideRetry(1, Response(429, "3600"), kNow, policy);
  EXPECT_FALSE(d.retry);
  EXPECT_EQ(d.why,
            "HTTP 429, Retry-After 3600 s exceeds the 300 s bound; not "
            "retrying now");
  // Saturated garbage-large values are over any sane bound, not wrapped
  // into a short (or negative) wait.
  d = DecideRetry(1, Response(429, "99999999999999999999"), kNow, policy);
  EXPECT_FALSE(d.retry);
  EXPECT_NE(d.why.find("Retry-After"), std::string::npos);
}

// Regression (issue 10), at the decision level: with the old int arithmetic
// this wait was negative (and then clamped by std::min to a negative
// duration).
TEST(DecideRetryTest, LargeRetryAfterWithinTheBoundIsWaitedExactly) {
  RetryPolicy policy;
  policy.max_retry_after = hours(24 * 30);
  RetryDecision d = DecideRetry(1, Response(429, "2147484"), kNow, policy);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, seconds(2147484));
}

TEST(DecideRetryTest, ClampRetryAfterWaitsTheBoundInstead) {
  RetryPolicy policy;
  policy.max_retry_after = seconds(30);
  policy.clamp_retry_after = true;
  RetryDecision d = DecideRetry(1, Response(429, "2147484"), kNow, policy);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, seconds(30));
  d = DecideRetry(1, Response(429, "99999999999999999999"), kNow, policy);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, seconds(30));
}

// A reply over the transport's cap is not asked for again (each try could be
// billed for the same oversized answer).
TEST(ClassifyOutcomeTest, OversizedReplyIsNotRetried) {
  absl::StatusOr<HttpResponse> too_large =
      absl::ResourceExhaustedError("reply larger than 4194304 bytes");
  EXPECT_EQ(ClassifyOutcome(too_large), "too_large");
  EXPECT_FALSE(IsRetryableOutcome("too_large"));
  EXPECT_FALSE(DecideRetry(1, too_large, kNow, RetryPolicy{}).retry);
}

// An error marked final is not retried whatever its code; the mark keeps
// the code and the message.
TEST(DecideRetryTest, ErrorMarkedNotRetryableIsFinal) {
  absl::Status timeout = absl::DeadlineExceededError("waited 600 s");
  EXPECT_TRUE(DecideRetry(1, timeout, kNow, RetryPolicy{}).retry);
  absl::Status final_timeout = NotRetryable(timeout);
  EXPECT_TRUE(IsNotRetryable(final_timeout));
  EXPECT_FALSE(IsNotRetryable(timeout));
  EXPECT_EQ(final_timeout.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(final_timeout.message(), "waited 600 s");
  EXPECT_FALSE(DecideRetry(1, final_timeout, kNow, RetryPolicy{}).retry);
}

// The LLM client's and the Slack sink's policy: a provider asking for an
// hour is waited for max_backoff, never an hour, and never refused.
TEST(CappedRetryPolicyTest, LongRetryAfterIsWaitedForMaxBackoffOnly) {
  const RetryPolicy policy = CappedRetryPolicy(3, seconds(1), seconds(20));
  EXPECT_EQ(policy.max_attempts, 3);
  RetryDecision d = DecideRetry(1, Response(429, "3600"), kNow, policy);
  EXPECT_TRUE(d.retry) << d.why;
  EXPECT_EQ(d.delay, seconds(20));
  d = DecideRetry(1, Response(429, "5"), kNow, policy);
  EXPECT_EQ(d.delay, seconds(5));
  d = DecideRetry(3, Response(429, "5"), kNow, policy);
  EXPECT_FALSE(d.retry);
}

}  // namespace
}  // namespace arxiv_digest
