// The real HTTP LLM client against the OpenAI-compatible stub on loopback:
// what a 429, a 500, a bad key, garbage and a dropped connection each get.
#include "services/scorer/adapters/openai_client.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "lib/http_transport/httplib_client.h"
#include "lib/json/json_util.h"
#include "tests/support/fake_clock.h"
#include "tests/support/openai_stub.h"

namespace arxiv_digest {
namespace {

using testing::OpenAiStub;
using testing::StubFailure;
using testing::StubFailureKind;

class OpenAiClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto stub = OpenAiStub::Start();
    ASSERT_TRUE(stub.ok()) << stub.status();
    stub_ = *std::move(stub);
  }
  OpenAiClient MakeClient(int max_attempts = 4) {
    OpenAiClientOptions o;
    o.base_url = stub_->base_url();
    o.api_key = stub_->api_key();
    o.request.model = "gpt-4o";
    o.max_attempts = max_attempts;
    o.initial_backoff = std::chrono::milliseconds(100);
    return OpenAiClient(http_, o, clock_,
                        [this](const std::string& outcome, double) {
                          outcomes_.push_back(outcome);
                        });
  }
  const std::vector<std::chrono::milliseconds>& waits() const {
    return clock_.sleeps();
  }
  const std::string prompt_ =
      "## Papers\n\nArXiv ID: 2504.00001\nTitle: T\nAuthors: A\nAbstract: X";
  HttplibClient http_;
  std::unique_ptr<OpenAiStub> stub_;
  FakeClock clock_;
  std::vector<std::string> outcomes_;
};

TEST_F(OpenAiClientTest, SuccessReturnsContentAndUsage) {
  OpenAiClient client = MakeClient();
  absl::StatusOr<ChatCompletion> c = client.Complete(prompt_);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_NE(c->content.find("2504.00001"), std::string::npos);
  EXPECT_GT(c->usage.prompt_tokens, 0);
  EXPECT_GT(c->usage.completion_tokens, 0);
  EXPECT_EQ(outcomes_, std::vector<std::string>{"ok"});
  EXPECT_EQ(stub_->models_requested(), std::vector<std::string>{"gpt-4o"});
}

// 429 waits as long as Retry-After says (not the backoff), then succeeds.
TEST_F(OpenAiClientTest, RateLimitHonoursRetryAfter) {
  stub_->PushFailure(StubFailure{StubFailureKind::kRateLimited, 3});
  OpenAiClient client = MakeClient();
  absl::StatusOr<ChatCompletion> c = client.Complete(prompt_);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(outcomes_, (std::vector<std::string>{"rate_limited", "ok"}));
  ASSERT_EQ(waits().size(), 1u);
  EXPECT_EQ(waits()[0], std::chrono::milliseconds(3000));
}

TEST_F(OpenAiClientTest, ServerErrorsAreRetriedThenReported) {
  stub_->PushFailure(StubFailure{StubFailureKind::kServerError}, 4);
  OpenAiClient client = MakeClient(/*max_attempts=*/4);
  absl::StatusOr<ChatCompletion> c = client.Complete(prompt_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(c.status().message().find("500"), std::string::npos);
  EXPECT_EQ(stub_->requests(), 4);
  ASSERT_EQ(waits().size(), 3u);
  // Exponential backoff with jitter in [0.5, 1.5): 100, 200, 400 ms.
  EXPECT_GE(waits()[2], std::chrono::milliseconds(200));
  EXPECT_LT(waits()[2], std::chrono::milliseconds(600));
}

// A rejected key is not retried: hammering the provider cannot help.
TEST_F(OpenAiClientTest, BadKeyIsPermissionDeniedWithoutRetry) {
  OpenAiClient client = MakeClient();  // sends the stub's original key
  stub_->SetApiKey("another-key");
  absl::StatusOr<ChatCompletion> c = client.Complete(prompt_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(c.status().message().find("OPENAI_API_KEY"), std::string::npos);
  EXPECT_EQ(stub_->requests(), 1);
  EXPECT_TRUE(waits().empty());
  EXPECT_EQ(outcomes_, std::vector<std::string>{"auth_error"});
}

TEST_F(OpenAiClientTest, GarbageBodyIsRetriedAndThenAnError) {
  stub_->PushFailure(StubFailure{StubFailureKind::kGarbageBody}, 2);
  OpenAiClient client = MakeClient(/*max_attempts=*/2);
  absl::StatusOr<ChatCompletion> c = client.Complete(prompt_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(outcomes_,
            (std::vector<std::string>{"bad_response", "bad_response"}));
}

TEST_F(OpenAiClientTest, DroppedConnectionIsRetried) {
  stub_->PushFailure(StubFailure{StubFailureKind::kDropConnection});
  OpenAiClient client = MakeClient();
  absl::StatusOr<ChatCompletion> c = client.Complete(prompt_);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(outcomes_.size(), 2u);
  EXPECT_NE(outcomes_[0], "ok");
  EXPECT_EQ(outcomes_[1], "ok");
}

TEST(OpenAiClientNoServerTest, UnreachableProviderIsUnavailable) {
  HttplibClient http;
  OpenAiClientOptions o;
  o.base_url = "http://127.0.0.1:1/v1";
  o.api_key = "k";
  o.max_attempts = 2;
  FakeClock clock;
  int retries = 0;
  OpenAiClient client(http, o, clock, {}, [&] { ++retries; });
  absl::StatusOr<ChatCompletion> c = client.Complete("x");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(clock.sleeps().size(), 1u);
  EXPECT_EQ(retries, 1);
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

// Provider options reach the wire: another model, max_tokens, JSON mode,
// no temperature (reasoning models reject it) and extra headers.
TEST(OpenAiClientOptionsTest, OptionsAreSentToTheProvider) {
  auto stub = testing::OpenAiStub::Start();
  ASSERT_TRUE(stub.ok());
  HttplibClient http;
  OpenAiClientOptions o;
  o.base_url = (*stub)->base_url() + "/";  // a trailing slash is tolerated
  o.api_key = (*stub)->api_key();
  o.request.model = "o3-mini";
  o.request.max_tokens = 2048;
  o.request.json_mode = true;
  o.request.send_temperature = false;
  o.extra_headers = {{"HTTP-Referer", "https://digest.example.org"},
                     {"X-Title", "arxiv-digest"}};
  OpenAiClient client(http, o);
  ASSERT_TRUE(client.Complete("ArXiv ID: 2504.00001\nTitle: T").ok());
  absl::StatusOr<rapidjson::Document> body =
      ParseJson((*stub)->last_request_body());
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_EQ(GetString(*body, "model"), "o3-mini");
  EXPECT_EQ(GetInt(*body, "max_tokens"), 2048);
  EXPECT_FALSE(body->HasMember("temperature"));
  auto format = body->FindMember("response_format");
  ASSERT_NE(format, body->MemberEnd());
  EXPECT_EQ(GetString(format->value, "type"), "json_object");
  EXPECT_EQ((*stub)->last_request_header("HTTP-Referer"),
            "https://digest.example.org");
  EXPECT_EQ((*stub)->last_request_header("x-title"), "arxiv-digest");

  // Defaults: temperature 0 is sent, no max_tokens, no response_format.
  OpenAiClientOptions d;
  d.base_url = (*stub)->base_url();
  d.api_key = (*stub)->api_key();
  d.request.model = "gpt-4o";
  OpenAiClient plain(http, d);
  ASSERT_TRUE(plain.Complete("ArXiv ID: 2504.00001").ok());
  body = ParseJson((*stub)->last_request_body());
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(GetDouble(*body, "temperature"), 0.0);
  EXPECT_FALSE(body->HasMember("max_tokens"));
  EXPECT_FALSE(body->HasMember("response_format"));
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

// Answers every request with a 429 carrying the given Retry-After header.
class RateLimitingHttp : public HttpClient {
 public:
  explicit RateLimitingHttp(std::string retry_after)
      : retry_after_(std::move(retry_after)) {}
  absl::StatusOr<HttpResponse> Send(const HttpRequest&) override {
    HttpResponse r;
    r.status = 429;
    r.headers = {{"retry-after", retry_after_}};
    r.body = R"({"error":{"message":"slow down"}})";
    return r;
  }

 private:
  std::string retry_after_;
};

std::vector<std::chrono::milliseconds> WaitsFor(const std::string& header) {
  RateLimitingHttp http(header);
  OpenAiClientOptions o;
  o.base_url = "http://127.0.0.1:1/v1";
  o.api_key = "k";
  o.max_attempts = 2;
  o.initial_backoff = std::chrono::milliseconds(100);
  o.max_backoff = std::chrono::milliseconds(30000);
  FakeClock clock;  // 2024-01-01T00:00:00Z
  OpenAiClient client(http, o, clock);
  absl::StatusOr<ChatCompletion> c = client.Complete("x");
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kUnavailable);
  return clock.sleeps();
}

// A huge Retry-After must not overflow into a negative (= instant) wait that
// hammers the provider; it is capped at max_backoff. 2147484 s x 1000 is
// just past INT_MAX. A number too large for any integer type is treated the
// same way: the provider asked for a very long pause, so we wait the most
// we ever wait rather than the short exponential backoff. (The parsing is
// the shared ParseRetryAfter, which saturates; this pins the LLM client's
// use of it.)
TEST(OpenAiClientRetryAfterTest, HugeRetryAfterWaitsMaxBackoff) {
  for (const std::string header :
       {"2147484", "3000000", "99999999999", "99999999999999999999999"}) {
    std::vector<std::chrono::milliseconds> waits = WaitsFor(header);
    ASSERT_EQ(waits.size(), 1u) << header;
    EXPECT_EQ(waits[0], std::chrono::milliseconds(30000)) << header;
  }
  // Small values are still honoured exactly, and so is an HTTP date (seven
  // seconds after the fake clock's now). Garbage falls back to the jittered
  // backoff (never zero).
  EXPECT_EQ(WaitsFor("7"), std::vector<std::chrono::milliseconds>{
                               std::chrono::milliseconds(7000)});
  EXPECT_EQ(
      WaitsFor("Mon, 01 Jan 2024 00:00:07 GMT"),
      std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(7000)});
  std::vector<std::chrono::milliseconds> garbage = WaitsFor("soon");
  ASSERT_EQ(garbage.size(), 1u);
  EXPECT_GE(garbage[0], std::chrono::milliseconds(50));
  EXPECT_LT(garbage[0], std::chrono::milliseconds(150));
}

// Outcome labels stay the scorer's: a 503 counts as server_error, another
// 4xx as bad_response (InvalidArgument, not retried).
class FixedStatusHttp : public HttpClient {
 public:
  explicit FixedStatusHttp(int status) : status_(status) {}
  absl::StatusOr<HttpResponse> Send(const HttpRequest&) override {
    ++requests;
    HttpResponse r;
    r.status = status_;
    r.body = "nope";
    return r;
  }
  int requests = 0;

 private:
  int status_;
};

TEST(OpenAiClientOutcomeTest, LabelsAndCodesPerStatus) {
  struct Case {
    int status;
    absl::StatusCode code;
    std::vector<std::string> outcomes;
  };
  for (const Case& c :
       {Case{503,
             absl::StatusCode::kUnavailable,
             {"server_error", "server_error"}},
        Case{404, absl::StatusCode::kPermissionDenied, {"config_error"}},
        Case{400, absl::StatusCode::kInvalidArgument, {"bad_response"}},
        Case{403, absl::StatusCode::kPermissionDenied, {"auth_error"}}}) {
    FixedStatusHttp http(c.status);
    OpenAiClientOptions o;
    o.base_url = "http://127.0.0.1:1/v1";
    o.max_attempts = 2;
    FakeClock clock;
    std::vector<std::string> outcomes;
    OpenAiClient client(http, o, clock,
                        [&](const std::string& outcome, double) {
                          outcomes.push_back(outcome);
                        });
    absl::StatusOr<ChatCompletion> r = client.Complete("x");
    ASSERT_FALSE(r.ok()) << c.status;
    EXPECT_EQ(r.status().code(), c.code) << c.status;
    EXPECT_EQ(outcomes, c.outcomes) << c.status;
    EXPECT_EQ(http.requests, static_cast<int>(c.outcomes.size()));
  }
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

// A 404 is a setting to fix (the base URL or the model), named with the
// whole URL, not a bad reply to retry.
TEST(OpenAiClientNotFoundTest, NotFoundNamesTheUrlAndTheSettings) {
  auto stub = testing::OpenAiStub::Start();
  ASSERT_TRUE(stub.ok()) << stub.status();
  HttplibClient http;
  FakeClock clock;
  OpenAiClientOptions o;
  o.base_url = absl::StrCat("http://127.0.0.1:", (*stub)->port(), "/v2");
  o.api_key = (*stub)->api_key();
  o.request.model = "gpt-4o";
  std::vector<std::string> outcomes;
  OpenAiClient client(http, o, clock, [&](const std::string& outcome, double) {
    outcomes.push_back(outcome);
  });
  absl::StatusOr<ChatCompletion> c = client.Complete("x");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(c.status().message(),
            absl::StrCat("POST ", o.base_url,
                         "/chat/completions: HTTP 404 Not Found: no such "
                         "endpoint or model; check OPENAI_BASE_URL and "
                         "[SELECTION] model"));
  EXPECT_EQ(outcomes, std::vector<std::string>{"config_error"});
  EXPECT_TRUE(clock.sleeps().empty());  // not retried
}

}  // namespace
}  // namespace arxiv_digest
