#include "tests/support/http_server_util.h"

#include <httplib.h>

#include <chrono>

namespace arxiv_digest::testing {

absl::StatusOr<int> StartHttpServer(httplib::Server& server,
                                    std::thread& thread) {
  // Short keep-alive so Stop() does not wait on idle client connections.
  server.set_keep_alive_timeout(1);
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) return absl::InternalError("cannot bind 127.0.0.1:0");
  thread = std::thread([&server] { server.listen_after_bind(); });
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server.is_running()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return absl::DeadlineExceededError("http server did not start");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return port;
}

void StopHttpServer(httplib::Server* server, std::thread& thread) {
  if (server != nullptr) server->stop();
  if (thread.joinable()) thread.join();
}

}  // namespace arxiv_digest::testing
