// The shared HTTP client against a real cpp-httplib server on loopback.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <thread>

#include "lib/http_transport/httplib_client.h"

namespace arxiv_digest {
namespace {

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Get(
        "/hello", [](const httplib::Request& req, httplib::Response& res) {
          res.set_header("Retry-After", "7");
          res.set_content("hi " + req.get_header_value("X-Test"), "text/plain");
        });
    server_.Post(
        "/echo", [](const httplib::Request& req, httplib::Response& res) {
          res.status = 201;
          res.set_content(req.body, req.get_header_value("Content-Type"));
        });
    server_.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      res.set_content("late", "text/plain");
    });
    server_.Get("/feed",
                [](const httplib::Request& req, httplib::Response& res) {
                  if (req.get_header_value("If-None-Match") == "\"v1\"") {
                    res.status = 304;
                    return;
                  }
                  res.set_header("ETag", "\"v1\"");
                  res.set_content("<rss/>", "application/rss+xml");
                });
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(HttpClientTest, GetWithHeadersAndResponseHeaders) {
  HttplibClient client;
  HttpRequest req;
  req.url = Url("/hello");
  req.headers = {{"X-Test", "there"}};
  absl::StatusOr<HttpResponse> resp = client.Send(req);
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, "hi there");
  EXPECT_EQ(resp->Header("retry-after"), "7");
  EXPECT_EQ(resp->Header("Retry-After"), "7");
}

TEST_F(HttpClientTest, PostBodyAndNon200IsAResponse) {
  HttplibClient client;
  HttpRequest req;
  req.method = "POST";
  req.url = Url("/echo");
  req.body = "{\"a\":1}";
  absl::StatusOr<HttpResponse> resp = client.Send(req);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 201);
  EXPECT_EQ(resp->body, "{\"a\":1}");
  req.method = "GET";
  req.url = Url("/nothing-here");
  resp = client.Send(req);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 404);
}

// A 304 to a conditional GET is a response, not a failed redirect.
TEST_F(HttpClientTest, NotModifiedIsAResponse) {
  HttplibClient client;
  HttpRequest req;
  req.url = Url("/feed");
  absl::StatusOr<HttpResponse> first = client.Send(req);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->Header("etag"), "\"v1\"");
  req.headers = {{"If-None-Match", "\"v1\""}};
  absl::StatusOr<HttpResponse> again = client.Send(req);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->status, 304);
}

TEST_F(HttpClientTest, ReadTimeoutIsDeadlineExceeded) {
  HttpClientOptions options;
  options.read_timeout = std::chrono::milliseconds(200);
  HttplibClient client(options);
  HttpRequest req;
  req.url = Url("/slow");
  absl::StatusOr<HttpResponse> resp = client.Send(req);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(HttpClientNoServerTest, RefusedAndBadUrls) {
  HttplibClient client;
  HttpRequest req;
  req.url = "http://127.0.0.1:1/x";
  absl::StatusOr<HttpResponse> resp = client.Send(req);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kUnavailable);
  req.url = "ftp://example/x";
  EXPECT_EQ(client.Send(req).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(HttpClientNoServerTest, FileUrls) {
  std::string path = ::testing::TempDir() + "/http_client_file.txt";
  std::ofstream(path) << "local feed";
  HttplibClient client;
  HttpRequest req;
  req.url = "file://" + path;
  absl::StatusOr<HttpResponse> resp = client.Send(req);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->body, "local feed");
  req.url = "file://" + path + ".missing";
  EXPECT_EQ(client.Send(req).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace arxiv_digest
