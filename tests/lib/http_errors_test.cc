// Every HTTP error names the method, the URL (secrets redacted), and the
// HTTP status or the errno: against a closed port, an unknown host and a
// server answering 404.
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "lib/http/http_client.h"
#include "lib/http_transport/httplib_client.h"
#include "tests/support/http_server_util.h"

namespace arxiv_digest {
namespace {

// A loopback port nothing listens on: bound, then closed.
int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST(HttpErrorsTest, ClosedPortNamesMethodUrlAndErrno) {
  const int port = ClosedPort();
  HttplibClient client;
  HttpRequest request;
  request.method = "POST";
  request.url = absl::StrCat("http://127.0.0.1:", port, "/v1/chat/completions");
  request.body = "{}";
  absl::StatusOr<HttpResponse> resp = client.Send(request);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(resp.status().message(),
            absl::StrCat("POST http://127.0.0.1:", port,
                         "/v1/chat/completions: connection refused (errno ",
                         ECONNREFUSED, ")"));
}

// A Slack incoming webhook's path is its credential: a failed POST names
// only the origin, in the status and so in every log line built from it.
TEST(HttpErrorsTest, SecretPathIsNeverQuoted) {
  const int port = ClosedPort();
  HttplibClient client;
  HttpRequest request;
  request.method = "POST";
  request.url = absl::StrCat("http://127.0.0.1:", port,
                             "/services/T0/B0/hunter2-webhook-secret");
  request.secret_path = true;
  absl::StatusOr<HttpResponse> resp = client.Send(request);
  ASSERT_FALSE(resp.ok());
  const std::string message(resp.status().message());
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  EXPECT_NE(message.find(absl::StrCat("POST http://127.0.0.1:", port,
                                      "/***: connection refused")),
            std::string::npos)
      << message;
}

TEST(HttpErrorsTest, UnknownHostIsNamed) {
  HttplibClient client;
  HttpRequest request;
  request.url = "http://no-such-host.invalid/v1/models";
  absl::StatusOr<HttpResponse> resp = client.Send(request);
  ASSERT_FALSE(resp.ok());
  EXPECT_NE(resp.status().message().find(
                "GET http://no-such-host.invalid/v1/models: cannot resolve "
                "host 'no-such-host.invalid'"),
            std::string::npos)
      << resp.status();
}

TEST(HttpErrorsTest, NotFoundIsAResponseDescribedWithItsReason) {
  httplib::Server server;
  std::thread thread;
  absl::StatusOr<int> port = testing::StartHttpServer(server, thread);
  ASSERT_TRUE(port.ok()) << port.status();
  HttplibClient client;
  HttpRequest request;
  request.url = absl::StrCat("http://127.0.0.1:", *port, "/v1/models");
  absl::StatusOr<HttpResponse> resp = client.Send(request);
  testing::StopHttpServer(&server, thread);
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->status, 404);
  EXPECT_EQ(HttpErrorMessage(request, HttpStatusText(resp->status)),
            absl::StrCat("GET http://127.0.0.1:", *port,
                         "/v1/models: HTTP 404 Not Found"));
}

TEST(HttpErrorsTest, StatusTextHasTheReasonPhraseWhenThereIsOne) {
  EXPECT_EQ(HttpStatusText(401), "HTTP 401 Unauthorized");
  EXPECT_EQ(HttpStatusText(503), "HTTP 503 Service Unavailable");
  EXPECT_EQ(HttpStatusText(599), "HTTP 599");
}

TEST(HttpErrorsTest, UrlForMessageRedactsPasswordsAndSecretParameters) {
  EXPECT_EQ(UrlForMessage("https://user:pw-123@proxy.example/v1/chat"),
            "https://user:***@proxy.example/v1/chat");
  EXPECT_EQ(UrlForMessage("https://h.example/q?id_list=2504.00001&api_key=sk-1"
                          "&access_token=t&page=2#frag"),
            "https://h.example/q?id_list=2504.00001&api_key=***"
            "&access_token=***&page=2#frag");
  EXPECT_EQ(UrlForMessage("http://127.0.0.1:9/v1"), "http://127.0.0.1:9/v1");
}

}  // namespace
}  // namespace arxiv_digest
