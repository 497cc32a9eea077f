// 12 slow clients on the api's web and admin ports (issue 12): each opens
// a connection and drips its request head one byte every 200 ms. The
// servers' connection limits and read timeouts must keep /healthz and the
// web page answering within a second or two, and the api alive.
//
// With cpp-httplib's default pool of 8 workers this fails (both answers
// time out: a client dripping its head holds a worker for as long as it
// keeps dripping, the read timeout being per read); both servers now use
// lib/http_transport/server_limits.h.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "tests/chaos/api_chaos.h"

namespace arxiv_digest::testing::chaos {
namespace {

int ConnectLoopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{.tv_sec = 2, .tv_usec = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  return fd;
}

// The status line of GET `path`, or "" when nothing came within 2 s.
std::string Get(int port, const std::string& path) {
  const int fd = ConnectLoopback(port);
  if (fd < 0) return "";
  const std::string req =
      absl::StrCat("GET ", path,
                   " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  std::string got;
  if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) ==
      static_cast<ssize_t>(req.size())) {
    char buf[512];
    const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n > 0) got.assign(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return got.substr(0, got.find("\r\n"));
}

class SlowWebClientsTest : public ::testing::Test {
 protected:
  void TearDown() override {
    stop_ = true;
    for (std::thread& t : slow_) t.join();
    if (env_) env_->Report(HasFailure());
  }

  // `n` clients dripping a request head to `port` until the test ends.
  void StartSlowClients(int port, int n) {
    for (int i = 0; i < n; ++i) {
      slow_.emplace_back([this, port] {
        const int fd = ConnectLoopback(port);
        if (fd < 0) return;
        const std::string head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";
        for (size_t at = 0; !stop_; ++at) {
          const char c = at < head.size() ? head[at] : 'a';
          if (::send(fd, &c, 1, MSG_NOSIGNAL) != 1) break;
          for (int slice = 0; slice < 4 && !stop_; ++slice) {
            std::this_thread::sleep_for(milliseconds(50));
          }
        }
        ::close(fd);
      });
    }
  }

  std::unique_ptr<ChaosEnv> env_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> slow_;
};

TEST_F(SlowWebClientsTest, HealthzAndTheWebPageStillAnswer) {
  env_ = std::make_unique<ChaosEnv>(ChaosOptions{});
  ASSERT_NO_FATAL_FAILURE(env_->Start());
  Subprocess* api = nullptr;
  std::optional<ApiPorts> ports = StartApi(*env_, {}, &api);
  ASSERT_TRUE(ports.has_value());
  ASSERT_EQ(Get(ports->admin, "/healthz"), "HTTP/1.1 200 OK");

  StartSlowClients(ports->web, 12);
  StartSlowClients(ports->admin, 12);
  std::this_thread::sleep_for(milliseconds(500));  // all of them connected

  for (int round = 0; round < 3; ++round) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(Get(ports->admin, "/healthz"), "HTTP/1.1 200 OK")
        << "round " << round;
    EXPECT_EQ(Get(ports->web, "/"), "HTTP/1.1 200 OK") << "round " << round;
    EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(3));
    std::this_thread::sleep_for(milliseconds(300));
  }
  EXPECT_TRUE(api->Running()) << api->Describe(4000);
}

}  // namespace
}  // namespace arxiv_digest::testing::chaos
