#include "lib/http/retrying_http_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <climits>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "lib/core/shutdown.h"
#include "tests/support/fake_clock.h"

namespace arxiv_digest {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Answers from a script, in order; each attempt takes `latency` on the
// fake clock. Running off the end of the script is a test bug.
class ScriptedHttpClient : public HttpClient {
 public:
  ScriptedHttpClient(FakeClock& clock,
                     std::vector<absl::StatusOr<HttpResponse>> script,
                     milliseconds latency = milliseconds(0))
      : clock_(clock),
        script_(script.begin(), script.end()),
        latency_(latency) {}

  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override {
    ++calls_;
    clock_.Advance(latency_);
    if (script_.empty()) {
      ADD_FAILURE() << "unexpected request to " << request.url;
      return absl::InternalError("script exhausted");
    }
    absl::StatusOr<HttpResponse> next = std::move(script_.front());
    script_.pop_front();
    return next;
  }
  int calls() const { return calls_; }

 private:
  FakeClock& clock_;
  std::deque<absl::StatusOr<HttpResponse>> script_;
  milliseconds latency_;
  int calls_ = 0;
};

HttpResponse Response(int status, std::string body = "",
                      std::string retry_after = "") {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  if (!retry_after.empty()) r.headers.emplace("retry-after", retry_after);
  return r;
}

HttpRequest Get(std::string url = "https://example.org/api?q=1") {
  HttpRequest request;
  request.url = std::move(url);
  return request;
}

RetryPolicy FastPolicy() {
  RetryPolicy policy;
  policy.max_attempts = 5;
  policy.base_backoff = milliseconds(1000);
  policy.max_backoff = milliseconds(4000);
  return policy;
}

// Records the observer calls.
struct Recorder {
  std::vector<std::string> outcomes;
  std::vector<double> seconds;
  std::vector<std::pair<int, milliseconds>> retries;
  std::vector<std::string> give_ups;
  RetryObserver Observer() {
    return {[this](const std::string& o, double s) {
              outcomes.push_back(o);
              seconds.push_back(s);
            },
            [this](int attempt, const RetryDecision& d) {
              retries.emplace_back(attempt, d.delay);
            },
            [this](int, const RetryDecision& d) { give_ups.push_back(d.why); }};
  }
};

RetryingHttpClientHooks NoShutdown() {
  RetryingHttpClientHooks hooks;
  hooks.shutdown_requested = [] { return false; };
  return hooks;
}

TEST(RetryingHttpClientTest, RateLimitWaitsForRetryAfterSeconds) {
  FakeClock clock;
  ScriptedHttpClient inner(clock,
                           {Response(429, "", "3"), Response(200, "ok")});
  RetryingHttpClient client(inner, FastPolicy(), clock, {}, NoShutdown());
  absl::StatusOr<HttpResponse> r = client.Send(Get());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok");
  EXPECT_EQ(inner.calls(), 2);
  EXPECT_EQ(clock.sleeps(), std::vector<milliseconds>{seconds(3)});
}

TEST(RetryingHttpClientTest, UnavailableWaitsForRetryAfterHttpDate) {
  FakeClock clock;
  std::string date = absl::FormatTime(
      "%a, %d %b %Y %H:%M:%S GMT", absl::FromChrono(clock.Now() + seconds(45)),
      absl::UTCTimeZone());
  ScriptedHttpClient inner(clock, {Response(503, "", date), Response(200)});
  RetryingHttpClient client(inner, FastPolicy(), clock, {}, NoShutdown());
  ASSERT_TRUE(client.Send(Get()).ok());
  EXPECT_EQ(clock.sleeps(), std::vector<milliseconds>{seconds(45)});
}

// Regression (issue 10): the scorer's OpenAiClient computed the wait as
// `int retry_after * 1000`, which wraps negative for 2147484 s. The wait
// must be exactly that long (here allowed by a generous bound).
TEST(RetryingHttpClientTest, LargeRetryAfterDoesNotOverflow) {
  FakeClock clock;
  ScriptedHttpClient inner(clock,
                           {Response(429, "", "2147484"), Response(200)});
  RetryPolicy policy = FastPolicy();
  policy.max_retry_after = hours(24 * 30);
  RetryingHttpClient client(inner, policy, clock, {}, NoShutdown());
  ASSERT_TRUE(client.Send(Get()).ok());
  ASSERT_EQ(clock.sleeps().size(), 1u);
  EXPECT_EQ(clock.sleeps()[0].count(), int64_t{2147484} * 1000);
  EXPECT_GT(clock.sleeps()[0].count(), int64_t{INT_MAX});
}

TEST(RetryingHttpClientTest, RetryAfterOverTheBoundGivesUpSayingSo) {
  FakeClock clock;
  ScriptedHttpClient inner(clock, {Response(429, "slow down", "3600")});
  Recorder rec;
  RetryPolicy policy = FastPolicy();
  policy.max_retry_after = seconds(300);
  RetryingHttpClient client(inner, policy, clock, rec.Observer(), NoShutdown());
  absl::StatusOr<HttpResponse> r = client.Send(Get());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 429);  // the last response, as it came
  EXPECT_EQ(inner.calls(), 1);
  EXPECT_TRUE(clock.sleeps().empty());
  ASSERT_EQ(rec.give_ups.size(), 1u);
  EXPECT_NE(rec.give_ups[0].find("Retry-After 3600 s exceeds the 300 s bound"),
            std::string::npos)
      << rec.give_ups[0];
}

TEST(RetryingHttpClientTest, ServerErrorsBackOffDoublingUpToTheCap) {
  FakeClock clock;
  ScriptedHttpClient inner(clock, {Response(500), Response(502), Response(500),
                                   Response(504), Response(500)});
  Recorder rec;
  RetryingHttpClient client(inner, FastPolicy(), clock, rec.Observer(),
                            NoShutdown());
  absl::StatusOr<HttpResponse> r = client.Send(Get());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);  // the last response once attempts are used up
  EXPECT_EQ(inner.calls(), 5);
  EXPECT_EQ(clock.sleeps(),
            (std::vector<milliseconds>{seconds(1), seconds(2), seconds(4),
                                       seconds(4)}));
  ASSERT_EQ(rec.give_ups.size(), 1u);
  EXPECT_EQ(rec.give_ups[0], "HTTP 500 (gave up after 5 attempts)");
}

TEST(RetryingHttpClientTest, JitterUsesTheInjectedRandomSourceWithinBounds) {
  FakeClock clock;
  ScriptedHttpClient inner(
      clock, {Response(500), Response(500), Response(500), Response(200)});
  RetryPolicy policy = FastPolicy();
  policy.jitter = 0.5;
  RetryingHttpClientHooks hooks = NoShutdown();
  std::vector<double> randoms = {0.0, 0.999, 0.25};
  size_t next = 0;
  hooks.random01 = [&] { return randoms.at(next++); };
  RetryingHttpClient client(inner, policy, clock, {}, hooks);
  ASSERT_TRUE(client.Send(Get()).ok());
  // 1 s * 0.5, 2 s * 1.499, 4 s * 0.75; no draw for the final 200.
  EXPECT_EQ(clock.sleeps(),
            (std::vector<milliseconds>{milliseconds(500), milliseconds(2998),
                                       milliseconds(3000)}));
  EXPECT_EQ(next, 3u);
}

TEST(RetryingHttpClientTest, DefaultJitterStaysWithinBounds) {
  FakeClock clock;
  std::vector<absl::StatusOr<HttpResponse>> script(40, Response(503));
  ScriptedHttpClient inner(clock, script);
  RetryPolicy policy = FastPolicy();
  policy.max_attempts = 40;
  policy.max_backoff = policy.base_backoff;  // every backoff is 1 s
  policy.jitter = 0.5;
  RetryingHttpClient client(inner, policy, clock, {}, NoShutdown());
  client.Send(Get()).IgnoreError();
  ASSERT_EQ(clock.sleeps().size(), 39u);
  bool varied = false;
  for (milliseconds s : clock.sleeps()) {
    EXPECT_GE(s, milliseconds(500));
    EXPECT_LE(s, milliseconds(1500));
    varied = varied || s != clock.sleeps()[0];
  }
  EXPECT_TRUE(varied);
}

TEST(RetryingHttpClientTest, DeadlineStopsRetrying) {
  FakeClock clock;
  // Each attempt takes 200 ms; backoff 1 s, 2 s, ...; deadline 3 s: after
  // attempt 1 (0.2 s) wake at 1.2 s is fine; after attempt 2 (1.4 s) a 2 s
  // wait would end at 3.4 s, past the deadline.
  ScriptedHttpClient inner(clock, {Response(500), Response(500)},
                           milliseconds(200));
  Recorder rec;
  RetryPolicy policy = FastPolicy();
  policy.deadline = seconds(3);
  RetryingHttpClient client(inner, policy, clock, rec.Observer(), NoShutdown());
  absl::StatusOr<HttpResponse> r = client.Send(Get());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(inner.calls(), 2);
  EXPECT_EQ(clock.sleeps(), std::vector<milliseconds>{seconds(1)});
  ASSERT_EQ(rec.give_ups.size(), 1u);
  EXPECT_NE(rec.give_ups[0].find("deadline"), std::string::npos);
}

TEST(RetryingHttpClientTest, DeadlineAlsoBoundsRetryAfter) {
  FakeClock clock;
  ScriptedHttpClient inner(clock, {Response(429, "", "60")});
  RetryPolicy policy = FastPolicy();
  policy.deadline = seconds(30);
  RetryingHttpClient client(inner, policy, clock, {}, NoShutdown());
  EXPECT_EQ(client.Send(Get())->status, 429);
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(RetryingHttpClientTest, ClientErrorsSuccessAndNotModifiedAreNotRetried) {
  for (int status : {200, 201, 304, 400, 401, 403, 404}) {
    FakeClock clock;
    ScriptedHttpClient inner(clock, {Response(status, "body")});
    Recorder rec;
    RetryingHttpClient client(inner, FastPolicy(), clock, rec.Observer(),
                              NoShutdown());
    absl::StatusOr<HttpResponse> r = client.Send(Get());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, status);
    EXPECT_EQ(inner.calls(), 1) << status;
    EXPECT_TRUE(clock.sleeps().empty()) << status;
    EXPECT_TRUE(rec.give_ups.empty()) << status;  // not a retry failure
  }
}

TEST(RetryingHttpClientTest, TransportErrorsAndTimeoutsAreRetried) {
  FakeClock clock;
  ScriptedHttpClient inner(
      clock, {absl::UnavailableError("connection refused"),
              absl::DeadlineExceededError("read timeout"), Response(200)});
  Recorder rec;
  RetryingHttpClient client(inner, FastPolicy(), clock, rec.Observer(),
                            NoShutdown());
  ASSERT_TRUE(client.Send(Get()).ok());
  EXPECT_EQ(rec.outcomes,
            (std::vector<std::string>{"transport_error", "timeout", "ok"}));
}

TEST(RetryingHttpClientTest, ReturnsTheLastTransportError) {
  FakeClock clock;
  RetryPolicy policy = FastPolicy();
  policy.max_attempts = 2;
  ScriptedHttpClient inner(clock, {absl::UnavailableError("refused 1"),
                                   absl::DeadlineExceededError("timeout 2")});
  RetryingHttpClient client(inner, policy, clock, {}, NoShutdown());
  absl::StatusOr<HttpResponse> r = client.Send(Get());
  EXPECT_EQ(r.status(), absl::DeadlineExceededError("timeout 2"));
}

TEST(RetryingHttpClientTest, TransientResponseHookRetriesA200) {
  FakeClock clock;
  ScriptedHttpClient inner(
      clock, {Response(200, "garbage"), Response(200, "{\"choices\":[]}")});
  Recorder rec;
  RetryingHttpClientHooks hooks = NoShutdown();
  int consulted = 0;
  hooks.transient_response =
      [&](const HttpResponse& r) -> std::optional<std::string> {
    ++consulted;
    if (r.body == "garbage") return "body is not a completion";
    return std::nullopt;
  };
  RetryingHttpClient client(inner, FastPolicy(), clock, rec.Observer(), hooks);
  absl::StatusOr<HttpResponse> r = client.Send(Get());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "{\"choices\":[]}");
  EXPECT_EQ(consulted, 2);
  EXPECT_EQ(clock.sleeps(), std::vector<milliseconds>{seconds(1)});
  EXPECT_EQ(rec.outcomes, (std::vector<std::string>{"bad_response", "ok"}));
}

TEST(RetryingHttpClientTest, TransientResponseGivesUpWithItsReason) {
  FakeClock clock;
  RetryPolicy policy = FastPolicy();
  policy.max_attempts = 2;
  ScriptedHttpClient inner(clock, {Response(200, "x"), Response(200, "y")});
  Recorder rec;
  RetryingHttpClientHooks hooks = NoShutdown();
  hooks.transient_response = [](const HttpResponse&) {
    return std::optional<std::string>("not JSON");
  };
  RetryingHttpClient client(inner, policy, clock, rec.Observer(), hooks);
  absl::StatusOr<HttpResponse> r = client.Send(Get());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "y");
  ASSERT_EQ(rec.give_ups.size(), 1u);
  EXPECT_EQ(rec.give_ups[0], "HTTP 200: not JSON (gave up after 2 attempts)");
}

TEST(RetryingHttpClientTest, TransientResponseHookNotAskedAboutRetryables) {
  FakeClock clock;
  ScriptedHttpClient inner(clock, {Response(500), Response(200)});
  RetryingHttpClientHooks hooks = NoShutdown();
  int consulted = 0;
  hooks.transient_response = [&](const HttpResponse&) {
    ++consulted;
    return std::optional<std::string>();
  };
  RetryingHttpClient client(inner, FastPolicy(), clock, {}, hooks);
  ASSERT_TRUE(client.Send(Get()).ok());
  EXPECT_EQ(consulted, 1);  // only the 200
}

TEST(RetryingHttpClientTest, ObserverSeesEveryAttemptAndRetry) {
  FakeClock clock;
  ScriptedHttpClient inner(
      clock, {Response(429), Response(503), Response(500), Response(200)},
      milliseconds(250));
  Recorder rec;
  RetryingHttpClient client(inner, FastPolicy(), clock, rec.Observer(),
                            NoShutdown());
  ASSERT_TRUE(client.Send(Get()).ok());
  EXPECT_EQ(rec.outcomes,
            (std::vector<std::string>{"rate_limited", "unavailable",
                                      "server_error", "ok"}));
  for (double s : rec.seconds) EXPECT_DOUBLE_EQ(s, 0.25);
  EXPECT_EQ(rec.retries,
            (std::vector<std::pair<int, milliseconds>>{
                {1, seconds(1)}, {2, seconds(2)}, {3, seconds(4)}}));
  EXPECT_TRUE(rec.give_ups.empty());
}

TEST(RetryingHttpClientTest, FileUrlsAreSentOnce) {
  FakeClock clock;
  ScriptedHttpClient inner(clock, {absl::NotFoundError("cannot read")});
  RetryingHttpClient client(inner, FastPolicy(), clock, {}, NoShutdown());
  EXPECT_FALSE(client.Send(Get("file:///nonexistent")).ok());
  EXPECT_EQ(inner.calls(), 1);
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(RetryingHttpClientTest, ShutdownStopsAfterTheCurrentAttempt) {
  FakeClock clock;
  ScriptedHttpClient inner(clock, {Response(500)});
  Recorder rec;
  RetryingHttpClientHooks hooks;
  hooks.shutdown_requested = [] { return true; };
  RetryingHttpClient client(inner, FastPolicy(), clock, rec.Observer(), hooks);
  EXPECT_EQ(client.Send(Get())->status, 500);
  EXPECT_EQ(inner.calls(), 1);
  EXPECT_TRUE(clock.sleeps().empty());
  ASSERT_EQ(rec.give_ups.size(), 1u);
  EXPECT_NE(rec.give_ups[0].find("shutdown"), std::string::npos);
}

TEST(RetryingHttpClientTest, ShutdownDuringTheWaitStopsBeforeTheNextAttempt) {
  FakeClock clock;
  ScriptedHttpClient inner(clock, {Response(500)});
  bool shutdown = false;
  RetryObserver observer;
  observer.on_retry = [&](int, const RetryDecision&) { shutdown = true; };
  RetryingHttpClientHooks hooks;
  hooks.shutdown_requested = [&] { return shutdown; };
  RetryingHttpClient client(inner, FastPolicy(), clock, observer, hooks);
  EXPECT_EQ(client.Send(Get())->status, 500);
  EXPECT_EQ(inner.calls(), 1);
  EXPECT_EQ(clock.sleeps().size(), 1u);
}

// The default hook reads the process-wide flag; run in a child process
// because it cannot be cleared.
TEST(RetryingHttpClientDeathTest, DefaultShutdownHookReadsTheGlobalFlag) {
  EXPECT_EXIT(
      {
        FakeClock clock;
        ScriptedHttpClient inner(clock, {Response(500)});
        RetryingHttpClient client(inner, FastPolicy(), clock);
        RequestShutdown();
        bool stopped = client.Send(Get())->status == 500 &&
                       inner.calls() == 1 && clock.sleeps().empty();
        std::exit(stopped ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace arxiv_digest
