// A loopback TCP server whose connections are handled by raw code, for
// misbehaving peers cpp-httplib's server cannot play (headers dripped one
// byte at a time, a reply that never ends).
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"

namespace arxiv_digest::testing {

class RawTcpServer {
 public:
  // Called on its own thread with the accepted socket (closed afterwards)
  // and a flag that turns true when the server stops.
  using Handler = std::function<void(int fd, const std::atomic<bool>& stop)>;

  explicit RawTcpServer(Handler handler);
  ~RawTcpServer();
  RawTcpServer(const RawTcpServer&) = delete;
  RawTcpServer& operator=(const RawTcpServer&) = delete;

  // Binds 127.0.0.1:0 and starts accepting; returns the port.
  absl::StatusOr<int> Start();
  // Sets the stop flag, closes the listener and joins every thread.
  void Stop();

  // Reads from `fd` until the end of the request headers (or EOF/error).
  static void ReadRequestHead(int fd);
  // Writes all of `data`; false when the peer has gone.
  static bool WriteAll(int fd, const char* data, size_t size);

 private:
  Handler handler_;
  int listen_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread accept_thread_;
  std::mutex mu_;
  std::vector<std::thread> connections_;
};

}  // namespace arxiv_digest::testing
