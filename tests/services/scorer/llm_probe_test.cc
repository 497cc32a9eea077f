// The scorer's start-up probe of the LLM endpoint (adapters/llm_probe.h)
// against the OpenAI-compatible stub (no /models there: the chat fallback),
// a server with /models, a closed port, and the not-ready wait.
#include "services/scorer/adapters/llm_probe.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <deque>
#include <thread>

#include "absl/strings/str_cat.h"
#include "lib/http_transport/httplib_client.h"
#include "tests/support/fake_clock.h"
#include "tests/support/http_server_util.h"
#include "tests/support/openai_stub.h"

namespace arxiv_digest {
namespace {

using testing::OpenAiStub;

bool Contains(const absl::Status& s, const std::string& part) {
  return s.message().find(part) != absl::string_view::npos;
}

class LlmProbeStubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto stub = OpenAiStub::Start();
    ASSERT_TRUE(stub.ok()) << stub.status();
    stub_ = *std::move(stub);
    llm_.base_url = stub_->base_url();
    llm_.api_key = stub_->api_key();
    llm_.request.model = "gpt-4o";
  }
  HttplibClient http_;
  std::unique_ptr<OpenAiStub> stub_;
  OpenAiClientOptions llm_;
};

TEST_F(LlmProbeStubTest, WorkingEndpointWithoutModelsListPasses) {
  stub_->PushFailure({testing::StubFailureKind::kServerError});
  absl::Status s = ProbeLlm(http_, llm_);
  EXPECT_TRUE(s.ok()) << s;
  // The probe's chat request is refused as invalid: nothing was generated
  // and no scripted reply was used up.
  EXPECT_EQ(stub_->scored_replies(), 0);
  EXPECT_EQ(stub_->pending_failures(), 1u);
}

TEST_F(LlmProbeStubTest, WrongKeyNamesTheUrlStatusAndSettingButNotTheKey) {
  llm_.api_key = "sk-wrong-secret-123";
  absl::Status s = ProbeLlm(http_, llm_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(s, "POST " + stub_->base_url() + "/chat/completions"))
      << s;
  EXPECT_TRUE(Contains(s, "HTTP 401 Unauthorized")) << s;
  EXPECT_TRUE(Contains(s, "OPENAI_API_KEY")) << s;
  EXPECT_FALSE(Contains(s, "sk-wrong-secret-123")) << s;
}

TEST_F(LlmProbeStubTest, WrongBaseUrlIsNamedWithItsStatus) {
  llm_.base_url = absl::StrCat("http://127.0.0.1:", stub_->port(), "/v2");
  absl::Status s = ProbeLlm(http_, llm_);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Contains(s, "GET " + llm_.base_url + "/models: HTTP 404")) << s;
  EXPECT_TRUE(Contains(s, "OPENAI_BASE_URL")) << s;
}

TEST(LlmProbeTest, ClosedPortGivesTheErrnoAndTheSetting) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  OpenAiClientOptions llm;
  llm.base_url = absl::StrCat(
      "http://user:pw-secret@127.0.0.1:", ntohs(addr.sin_port), "/v1");
  llm.api_key = "k";
  HttplibClient http;
  absl::Status s = ProbeLlm(http, llm);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Contains(
      s, absl::StrCat("GET http://user:***@127.0.0.1:", ntohs(addr.sin_port),
                      "/v1/models: connection refused")))
      << s;
  EXPECT_TRUE(Contains(s, "OPENAI_BASE_URL")) << s;
  EXPECT_FALSE(Contains(s, "pw-secret")) << s;
}

// A provider with /models: a 200 passes without a chat request, a 401 is
// the key.
TEST(LlmProbeTest, ModelsEndpointDecidesAlone) {
  httplib::Server server;
  int chat_requests = 0;
  server.Get("/v1/models",
             [](const httplib::Request& req, httplib::Response& res) {
               if (req.get_header_value("Authorization") != "Bearer good") {
                 res.status = 401;
                 return;
               }
               res.set_content(R"({"object":"list","data":[{"id":"gpt-4o"}]})",
                               "application/json");
             });
  server.Post("/v1/chat/completions",
              [&](const httplib::Request&, httplib::Response& res) {
                ++chat_requests;
                res.status = 400;
              });
  std::thread thread;
  absl::StatusOr<int> port = testing::StartHttpServer(server, thread);
  ASSERT_TRUE(port.ok()) << port.status();
  HttplibClient http;
  OpenAiClientOptions llm;
  llm.base_url = absl::StrCat("http://127.0.0.1:", *port, "/v1/");
  llm.api_key = "good";
  llm.request.model = "gpt-4o";
  absl::Status ok = ProbeLlm(http, llm);
  llm.api_key = "bad";
  absl::Status bad = ProbeLlm(http, llm);
  testing::StopHttpServer(&server, thread);
  EXPECT_TRUE(ok.ok()) << ok;
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(Contains(bad, "/v1/models: HTTP 401 Unauthorized")) << bad;
  EXPECT_TRUE(Contains(bad, "OPENAI_API_KEY")) << bad;
  EXPECT_EQ(chat_requests, 0);
}

TEST(LlmProbeTest, ModeFromFlagAndEnvironment) {
  EXPECT_EQ(*ParseLlmProbeMode("", false), LlmProbeMode::kFail);
  EXPECT_EQ(*ParseLlmProbeMode("", true), LlmProbeMode::kReady);
  EXPECT_EQ(*ParseLlmProbeMode("fail", true), LlmProbeMode::kFail);
  EXPECT_EQ(*ParseLlmProbeMode("ready", false), LlmProbeMode::kReady);
  EXPECT_EQ(*ParseLlmProbeMode("off", false), LlmProbeMode::kOff);
  absl::StatusOr<LlmProbeMode> bad = ParseLlmProbeMode("maybe", false);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(Contains(bad.status(), "--probe-llm")) << bad.status();
}

// Answers from a script: transport errors, then statuses.
class ScriptedHttp : public HttpClient {
 public:
  explicit ScriptedHttp(std::deque<absl::StatusOr<HttpResponse>> script)
      : script_(std::move(script)) {}
  absl::StatusOr<HttpResponse> Send(const HttpRequest&) override {
    ++requests;
    if (script_.empty()) return absl::InternalError("script exhausted");
    absl::StatusOr<HttpResponse> next = script_.front();
    script_.pop_front();
    return next;
  }
  int requests = 0;

 private:
  std::deque<absl::StatusOr<HttpResponse>> script_;
};

HttpResponse Status(int code) {
  HttpResponse r;
  r.status = code;
  return r;
}

TEST(AwaitLlmTest, ReadyModeStaysNotReadyUntilTheProbePasses) {
  ScriptedHttp http({absl::UnavailableError("GET x: connection refused"),
                     absl::UnavailableError("GET x: connection refused"),
                     Status(200)});
  FakeClock clock;
  std::atomic<bool> ready{false};
  OpenAiClientOptions llm;
  llm.base_url = "http://llm/v1";
  absl::Status s =
      AwaitLlm(http, llm, LlmProbeMode::kReady, clock, std::chrono::seconds(30),
               ready, [] { return false; });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_TRUE(ready.load());
  EXPECT_EQ(http.requests, 3);
  EXPECT_EQ(clock.sleeps(),
            (std::vector<std::chrono::milliseconds>{std::chrono::seconds(30),
                                                    std::chrono::seconds(30)}));
}

TEST(AwaitLlmTest, ReadyModeEndsNotReadyOnShutdown) {
  ScriptedHttp http({Status(401)});
  FakeClock clock;
  std::atomic<bool> ready{false};
  OpenAiClientOptions llm;
  absl::Status s =
      AwaitLlm(http, llm, LlmProbeMode::kReady, clock, std::chrono::seconds(30),
               ready, [] { return true; });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_FALSE(ready.load());
}

TEST(AwaitLlmTest, FailModeReturnsTheErrorAndOffModeSendsNothing) {
  ScriptedHttp http({Status(403)});
  FakeClock clock;
  std::atomic<bool> ready{false};
  OpenAiClientOptions llm;
  absl::Status s =
      AwaitLlm(http, llm, LlmProbeMode::kFail, clock, std::chrono::seconds(30),
               ready, [] { return false; });
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(ready.load());
  EXPECT_TRUE(clock.sleeps().empty());

  ScriptedHttp none({});
  s = AwaitLlm(none, llm, LlmProbeMode::kOff, clock, std::chrono::seconds(30),
               ready, [] { return false; });
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(ready.load());
  EXPECT_EQ(none.requests, 0);
}

}  // namespace
}  // namespace arxiv_digest
