// The real HTTP LLM client against the OpenAI-compatible stub on loopback:
// what a 429, a 500, a bad key, garbage and a dropped connection each get.
#include "services/scorer/adapters/openai_client.h"

#include <gtest/gtest.h>

#include "lib/json/json_util.h"
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
    return OpenAiClient(
        http_, o,
        [this](const std::string& outcome, double) {
          outcomes_.push_back(outcome);
        },
        [this](std::chrono::milliseconds d) { waits_.push_back(d); });
  }
  const std::string prompt_ =
      "## Papers\n\nArXiv ID: 2504.00001\nTitle: T\nAuthors: A\nAbstract: X";
  HttplibClient http_;
  std::unique_ptr<OpenAiStub> stub_;
  std::vector<std::string> outcomes_;
  std::vector<std::chrono::milliseconds> waits_;
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
  ASSERT_EQ(waits_.size(), 1u);
  EXPECT_EQ(waits_[0], std::chrono::milliseconds(3000));
}

TEST_F(OpenAiClientTest, ServerErrorsAreRetriedThenReported) {
  stub_->PushFailure(StubFailure{StubFailureKind::kServerError}, 4);
  OpenAiClient client = MakeClient(/*max_attempts=*/4);
  absl::StatusOr<ChatCompletion> c = client.Complete(prompt_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(c.status().message().find("500"), std::string::npos);
  EXPECT_EQ(stub_->requests(), 4);
  ASSERT_EQ(waits_.size(), 3u);
  // Exponential backoff with jitter in [0.5, 1.5): 100, 200, 400 ms.
  EXPECT_GE(waits_[2], std::chrono::milliseconds(200));
  EXPECT_LT(waits_[2], std::chrono::milliseconds(600));
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
  EXPECT_TRUE(waits_.empty());
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
  int sleeps = 0;
  OpenAiClient client(http, o, {},
                      [&](std::chrono::milliseconds) { ++sleeps; });
  absl::StatusOr<ChatCompletion> c = client.Complete("x");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(sleeps, 1);
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
