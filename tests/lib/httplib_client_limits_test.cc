// The transport's hard limits against real loopback servers (issue 12): a
// reply size cap, a whole-call deadline that a dripping reply cannot
// escape, and no credentials on a redirect to another origin.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "lib/http_transport/httplib_client.h"
#include "tests/support/http_server_util.h"
#include "tests/support/raw_tcp_server.h"

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

constexpr size_t kCap = size_t{1} << 20;

HttpRequest Req(const std::string& method, const std::string& url) {
  HttpRequest req;
  req.method = method;
  req.url = url;
  return req;
}

HttpClientOptions CappedOptions() {
  HttpClientOptions options;
  options.max_reply_bytes = kCap;
  return options;
}

// Waits (bounded) for a server-side flag; the server side ends on its own.
bool WaitFor(const std::atomic<bool>& flag, milliseconds limit) {
  const auto until = SteadyClock::now() + limit;
  while (!flag && SteadyClock::now() < until) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  return flag;
}

class ReplyLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Get("/exact", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(kCap, 'x'), "text/plain");
    });
    server_.Get("/declared",
                [](const httplib::Request&, httplib::Response& res) {
                  res.set_content(std::string(kCap + 1, 'x'), "text/plain");
                });
    // 256 MB without a length, produced on the fly: only the client's cap
    // can end it early.
    server_.Get("/endless",
                [this](const httplib::Request&, httplib::Response& res) {
                  res.set_chunked_content_provider(
                      "text/plain",
                      [this](size_t, httplib::DataSink& sink) {
                        const std::string chunk(size_t{64} * 1024, 'y');
                        while (sent_ < (size_t{256} << 20) && !stop_) {
                          if (!sink.write(chunk.data(), chunk.size())) break;
                          sent_ += chunk.size();
                        }
                        endless_done_ = true;
                        return false;  // the reply ends here either way
                      },
                      [this](bool) { endless_done_ = true; });
                });
    // One byte every 100 ms for up to 30 s.
    server_.Post(
        "/drip", [this](const httplib::Request&, httplib::Response& res) {
          res.set_chunked_content_provider(
              "application/json", [this](size_t, httplib::DataSink& sink) {
                for (int i = 0; i < 300 && !stop_; ++i) {
                  if (!sink.write("[", 1)) break;
                  std::this_thread::sleep_for(milliseconds(100));
                }
                return false;
              });
        });
    absl::StatusOr<int> port = testing::StartHttpServer(server_, thread_);
    ASSERT_TRUE(port.ok()) << port.status();
    base_ = "http://127.0.0.1:" + std::to_string(*port);
  }
  void TearDown() override {
    stop_ = true;
    testing::StopHttpServer(&server_, thread_);
  }

  httplib::Server server_;
  std::thread thread_;
  std::string base_;
  std::atomic<bool> stop_{false};
  std::atomic<size_t> sent_{0};
  std::atomic<bool> endless_done_{false};
};

TEST_F(ReplyLimitsTest, ReplyAtTheCapIsRead) {
  HttplibClient client(CappedOptions());
  absl::StatusOr<HttpResponse> resp = client.Send(Req("GET", base_ + "/exact"));
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->body.size(), kCap);
}

TEST_F(ReplyLimitsTest, DeclaredLengthOverTheCapIsRefused) {
  HttplibClient client(CappedOptions());
  absl::StatusOr<HttpResponse> resp =
      client.Send(Req("GET", base_ + "/declared"));
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(resp.status().message(),
            "GET " + base_ + "/declared: reply larger than 1048576 bytes");
}

// The body is never held past the cap: the call fails and the server is
// cut off long before it has sent its 256 MB.
TEST_F(ReplyLimitsTest, EndlessReplyIsCutOffAtTheCap) {
  HttplibClient client(CappedOptions());
  absl::StatusOr<HttpResponse> resp =
      client.Send(Req("GET", base_ + "/endless"));
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(resp.status().message().find("reply larger than 1048576 bytes"),
            std::string::npos);
  ASSERT_TRUE(WaitFor(endless_done_, milliseconds(10000)));
  EXPECT_LT(sent_.load(), size_t{64} << 20);
}

// cpp-httplib's read timeout is per read: a byte every 100 ms never trips
// a 60 s read timeout, only the whole-call deadline ends the call.
TEST_F(ReplyLimitsTest, DrippingBodyEndsAtTheDeadline) {
  HttpClientOptions options = CappedOptions();
  options.total_deadline = milliseconds(1000);
  HttplibClient client(options);
  HttpRequest req = Req("POST", base_ + "/drip");
  req.body = "{}";
  const auto start = SteadyClock::now();
  absl::StatusOr<HttpResponse> resp = client.Send(req);
  const auto elapsed = SteadyClock::now() - start;
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kDeadlineExceeded)
      << resp.status();
  EXPECT_GE(elapsed, milliseconds(900));
  EXPECT_LT(elapsed, milliseconds(5000));
}

// Headers dripped one byte at a time never reach the content receiver;
// the deadline must still end the call.
TEST(ReplyDeadlineTest, DrippingHeadersEndAtTheDeadline) {
  testing::RawTcpServer server([](int fd, const std::atomic<bool>& stop) {
    testing::RawTcpServer::ReadRequestHead(fd);
    const std::string start = "HTTP/1.1 200 OK\r\nX-Drip: ";
    if (!testing::RawTcpServer::WriteAll(fd, start.data(), start.size())) {
      return;
    }
    for (int i = 0; i < 300 && !stop; ++i) {
      if (!testing::RawTcpServer::WriteAll(fd, "a", 1)) return;
      std::this_thread::sleep_for(milliseconds(100));
    }
  });
  absl::StatusOr<int> port = server.Start();
  ASSERT_TRUE(port.ok()) << port.status();
  HttpClientOptions options;
  options.total_deadline = milliseconds(1000);
  HttplibClient client(options);
  const auto start = SteadyClock::now();
  absl::StatusOr<HttpResponse> resp = client.Send(
      Req("GET", "http://127.0.0.1:" + std::to_string(*port) + "/x"));
  const auto elapsed = SteadyClock::now() - start;
  server.Stop();
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kDeadlineExceeded)
      << resp.status();
  EXPECT_LT(elapsed, milliseconds(5000));
}

// Two origins on loopback: the same host on another port is another
// origin, so credentials must not follow a redirect there.
class RedirectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto record = [this](const std::string& where) {
      return
          [this, where](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard<std::mutex> lock(mu_);
            seen_[where + " method"] = req.method;
            seen_[where + " body"] = req.body;
            for (const char* name : {"Authorization", "X-Api-Key", "X-Title"}) {
              seen_[where + " " + name] =
                  req.has_header(name) ? req.get_header_value(name) : "(none)";
            }
            res.set_content("landed at " + where, "text/plain");
          };
    };
    target_.Get("/land", record("target"));
    target_.Post("/land", record("target"));
    absl::StatusOr<int> target_port =
        testing::StartHttpServer(target_, target_thread_);
    ASSERT_TRUE(target_port.ok()) << target_port.status();
    const std::string target_land =
        "http://127.0.0.1:" + std::to_string(*target_port) + "/land";

    auto redirect = [](int status, const std::string& location) {
      return
          [status, location](const httplib::Request&, httplib::Response& res) {
            res.status = status;
            res.set_header("Location", location);
          };
    };
    origin_.Post("/cross", redirect(307, target_land));
    origin_.Post("/see-other", redirect(303, target_land));
    origin_.Get("/same", redirect(302, "/land-here"));
    origin_.Get("/land-here", record("origin"));
    origin_.Get("/to-file", redirect(302, "file:///etc/hostname"));
    origin_.Get("/loop", redirect(302, "/loop"));
    absl::StatusOr<int> origin_port =
        testing::StartHttpServer(origin_, origin_thread_);
    ASSERT_TRUE(origin_port.ok()) << origin_port.status();
    origin_base_ = "http://127.0.0.1:" + std::to_string(*origin_port);
  }
  void TearDown() override {
    testing::StopHttpServer(&origin_, origin_thread_);
    testing::StopHttpServer(&target_, target_thread_);
  }

  HttpRequest Request(const std::string& method, const std::string& path) {
    HttpRequest req = Req(method, origin_base_ + path);
    req.headers = {{"Authorization", "Bearer sk-test-secret"},
                   {"X-Api-Key", "azure-secret"},
                   {"X-Title", "arxiv-digest"}};
    if (method == "POST") req.body = "{\"model\":\"m\"}";
    return req;
  }
  std::string Seen(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = seen_.find(key);
    return it == seen_.end() ? "(not called)" : it->second;
  }

  httplib::Server origin_;
  httplib::Server target_;
  std::thread origin_thread_;
  std::thread target_thread_;
  std::string origin_base_;
  std::mutex mu_;
  std::map<std::string, std::string> seen_;
};

TEST_F(RedirectTest, CrossOriginRedirectDropsCredentials) {
  HttplibClient client;
  absl::StatusOr<HttpResponse> resp = client.Send(Request("POST", "/cross"));
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, "landed at target");
  EXPECT_EQ(Seen("target Authorization"), "(none)");
  EXPECT_EQ(Seen("target X-Api-Key"), "(none)");
  EXPECT_EQ(Seen("target X-Title"), "arxiv-digest");  // harmless ones stay
  // 307 repeats the request as it was.
  EXPECT_EQ(Seen("target method"), "POST");
  EXPECT_EQ(Seen("target body"), "{\"model\":\"m\"}");
}

TEST_F(RedirectTest, SameOriginRedirectKeepsCredentials) {
  HttplibClient client;
  absl::StatusOr<HttpResponse> resp = client.Send(Request("GET", "/same"));
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->body, "landed at origin");
  EXPECT_EQ(Seen("origin Authorization"), "Bearer sk-test-secret");
}

TEST_F(RedirectTest, SeeOtherTurnsAPostIntoABodylessGet) {
  HttplibClient client;
  absl::StatusOr<HttpResponse> resp =
      client.Send(Request("POST", "/see-other"));
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(Seen("target method"), "GET");
  EXPECT_EQ(Seen("target body"), "");
  EXPECT_EQ(Seen("target Authorization"), "(none)");
}

TEST_F(RedirectTest, RedirectToALocalFileIsRefused) {
  HttplibClient client;
  absl::StatusOr<HttpResponse> resp = client.Send(Request("GET", "/to-file"));
  ASSERT_FALSE(resp.ok());
  EXPECT_NE(resp.status().message().find("redirect refused"), std::string::npos)
      << resp.status();
}

TEST_F(RedirectTest, RedirectLoopEnds) {
  HttpClientOptions options;
  options.max_redirects = 3;
  HttplibClient client(options);
  absl::StatusOr<HttpResponse> resp = client.Send(Request("GET", "/loop"));
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(resp.status().message().find("more than 3 redirects"),
            std::string::npos)
      << resp.status();
}

}  // namespace
}  // namespace arxiv_digest
