// ElasticTaskQueue: jobs stuck in slow work (a client dripping its request)
// do not make the next one wait while threads may still be added; the
// thread count is bounded; shutdown drains the queue. And on a real
// cpp-httplib server: 12 slow clients, /healthz still answers at once.
#include "lib/http_transport/elastic_task_queue.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>

#include "tests/support/http_server_util.h"

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;

TEST(ElasticTaskQueueTest, BusyWorkersDoNotDelayTheNextJob) {
  ElasticTaskQueue queue(2, 16);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  for (int i = 0; i < 12; ++i) {
    queue.enqueue([released] { released.wait(); });
  }
  std::promise<void> ran;
  queue.enqueue([&ran] { ran.set_value(); });
  EXPECT_EQ(ran.get_future().wait_for(milliseconds(2000)),
            std::future_status::ready);
  EXPECT_LE(queue.threads(), 16u);
  EXPECT_GE(queue.threads(), 13u);
  release.set_value();
  queue.shutdown();
}

TEST(ElasticTaskQueueTest, ThreadsAreBoundedAndTheQueueDrainsOnShutdown) {
  ElasticTaskQueue queue(1, 3);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> done{0};
  for (int i = 0; i < 10; ++i) {
    queue.enqueue([released, &done] {
      released.wait();
      ++done;
    });
  }
  EXPECT_EQ(queue.threads(), 3u);
  release.set_value();
  queue.shutdown();
  EXPECT_EQ(done.load(), 10);
  // After shutdown a job still runs (it owns a socket to close).
  bool inline_ran = false;
  queue.enqueue([&inline_ran] { inline_ran = true; });
  EXPECT_TRUE(inline_ran);
}

int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST(ElasticTaskQueueTest, TwelveSlowClientsDoNotBlockHealthz) {
  httplib::Server server;
  server.new_task_queue = [] { return new ElasticTaskQueue(2, 64); };
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  std::thread thread;
  absl::StatusOr<int> port = testing::StartHttpServer(server, thread);
  ASSERT_TRUE(port.ok()) << port.status();

  std::atomic<bool> stop{false};
  std::vector<std::thread> slow;
  for (int i = 0; i < 12; ++i) {
    slow.emplace_back([&stop, port = *port] {
      const int fd = Connect(port);
      if (fd < 0) return;
      const std::string head = "GET /healthz HTTP/1.1\r\nX-Slow: ";
      for (size_t at = 0; !stop; ++at) {
        const char c = at < head.size() ? head[at] : 'a';
        if (::send(fd, &c, 1, MSG_NOSIGNAL) != 1) break;
        std::this_thread::sleep_for(milliseconds(50));
      }
      ::close(fd);
    });
  }
  std::this_thread::sleep_for(milliseconds(300));  // all connected
  httplib::Client client("127.0.0.1", *port);
  client.set_connection_timeout(2);
  client.set_read_timeout(2);
  const auto start = std::chrono::steady_clock::now();
  httplib::Result r = client.Get("/healthz");
  const auto took = std::chrono::steady_clock::now() - start;
  stop = true;
  for (std::thread& t : slow) t.join();
  testing::StopHttpServer(&server, thread);
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  EXPECT_LT(took, milliseconds(1500));
}

}  // namespace
}  // namespace arxiv_digest
