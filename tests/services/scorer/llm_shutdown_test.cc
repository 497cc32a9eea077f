// SIGTERM in the middle of an LLM call (issue 12): a reply dripping in one
// byte at a time must not hold the scorer up. The call is abandoned within
// about the poll interval, CANCELLED, and not retried.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "lib/http_transport/httplib_client.h"
#include "services/scorer/adapters/llm_transport.h"
#include "services/scorer/adapters/openai_client.h"
#include "tests/support/fake_clock.h"
#include "tests/support/http_server_util.h"

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// An inner transport that answers only when released.
class BlockingHttpClient : public HttpClient {
 public:
  absl::StatusOr<HttpResponse> Send(const HttpRequest&) override {
    std::unique_lock<std::mutex> lock(mu_);
    ++calls_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return released_; });
    HttpResponse r;
    r.status = 200;
    r.body = "late";
    return r;
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
    cv_.notify_all();
  }
  void WaitForCall() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return calls_ > 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int calls_ = 0;
  bool released_ = false;
};

TEST(ShutdownAwareHttpClientTest, PassesRepliesThrough) {
  BlockingHttpClient inner;
  inner.Release();
  ShutdownAwareHttpClient client(
      inner, [] { return false; }, milliseconds(5));
  absl::StatusOr<HttpResponse> r = client.Send(HttpRequest{});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->body, "late");
}

TEST(ShutdownAwareHttpClientTest, AbandonsTheCallOnShutdown) {
  // Outlives the abandoned call's thread, which it releases at the end.
  static BlockingHttpClient* inner = new BlockingHttpClient();
  std::atomic<bool> shutdown{false};
  ShutdownAwareHttpClient client(
      *inner, [&shutdown] { return shutdown.load(); }, milliseconds(10));
  std::thread signal([&] {
    inner->WaitForCall();
    shutdown = true;
  });
  const auto start = SteadyClock::now();
  absl::StatusOr<HttpResponse> r = client.Send(HttpRequest{});
  const auto took = SteadyClock::now() - start;
  signal.join();
  EXPECT_EQ(r.status().code(), absl::StatusCode::kCancelled) << r.status();
  EXPECT_LT(took, milliseconds(2000));
  inner->Release();
  // Already shutting down: no call at all.
  EXPECT_EQ(client.Send(HttpRequest{}).status().code(),
            absl::StatusCode::kCancelled);
}

// The real transport against a server dripping a byte every 100 ms for up
// to 30 s, with a 30 s whole-call deadline: only the shutdown ends it.
class SlowDripTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Post("/v1/chat/completions", [this](const httplib::Request&,
                                                httplib::Response& res) {
      ++requests_;
      res.set_chunked_content_provider(
          "application/json", [this](size_t, httplib::DataSink& sink) {
            for (int i = 0; i < 300 && !stop_; ++i) {
              if (!sink.write(" ", 1)) break;
              std::this_thread::sleep_for(milliseconds(100));
            }
            return false;
          });
    });
    absl::StatusOr<int> port = testing::StartHttpServer(server_, thread_);
    ASSERT_TRUE(port.ok()) << port.status();
    base_ = "http://127.0.0.1:" + std::to_string(*port) + "/v1";
  }
  void TearDown() override {
    stop_ = true;
    testing::StopHttpServer(&server_, thread_);
  }

  httplib::Server server_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::string base_;
};

TEST_F(SlowDripTest, ShutdownEndsTheCallWithinAboutAPollAndDoesNotRetry) {
  HttpClientOptions transport;
  transport.total_deadline = std::chrono::seconds(30);
  transport.read_timeout = std::chrono::seconds(30);
  // Outlives the abandoned call (it ends when the server stops dripping).
  static HttplibClient* http = new HttplibClient(transport);
  std::atomic<bool> shutdown{false};
  OpenAiClientOptions o;
  o.base_url = base_;
  o.api_key = "sk-test";
  o.request.model = "gpt-4o";
  o.max_attempts = 4;
  o.shutdown_requested = [&shutdown] { return shutdown.load(); };
  o.shutdown_poll = milliseconds(50);
  FakeClock clock;
  OpenAiClient client(*http, o, clock);
  std::thread signal([&] {
    while (requests_ == 0) std::this_thread::sleep_for(milliseconds(5));
    std::this_thread::sleep_for(milliseconds(300));  // mid-reply
    shutdown = true;
  });
  const auto start = SteadyClock::now();
  absl::StatusOr<ChatCompletion> c = client.Complete("## Papers\n");
  const auto took = SteadyClock::now() - start;
  signal.join();
  EXPECT_EQ(c.status().code(), absl::StatusCode::kCancelled) << c.status();
  EXPECT_LT(took, milliseconds(3000));
  EXPECT_EQ(requests_.load(), 1) << "a cancelled call must not be retried";
  EXPECT_TRUE(clock.sleeps().empty());
}

}  // namespace
}  // namespace arxiv_digest
