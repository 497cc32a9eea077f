// The admin HTTP port every service exposes: /metrics (Prometheus text
// format from a prometheus-cpp registry), /healthz (process alive) and
// /readyz (dependencies reachable, per a callback).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"

namespace httplib {
class Server;
}
namespace prometheus {
class Registry;
}

namespace arxiv_digest {

class AdminServer {
 public:
  // ready() is called per /readyz request; it must be thread-safe.
  AdminServer(std::shared_ptr<prometheus::Registry> registry,
              std::function<bool()> ready);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Binds 127.0.0.1/0.0.0.0:port (0 = ephemeral) and serves in a thread.
  absl::Status Start(const std::string& host, int port);
  int port() const { return port_; }
  void Stop();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::function<bool()> ready_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace arxiv_digest
