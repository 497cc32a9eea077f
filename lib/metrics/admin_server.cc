#include "lib/metrics/admin_server.h"

#include <httplib.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "lib/http_transport/server_limits.h"

namespace arxiv_digest {

AdminServer::AdminServer(std::shared_ptr<prometheus::Registry> registry,
                         std::function<bool()> ready)
    : registry_(std::move(registry)), ready_(std::move(ready)) {}

AdminServer::~AdminServer() { Stop(); }

absl::Status AdminServer::Start(const std::string& host, int port) {
  server_ = std::make_unique<httplib::Server>();
  // /healthz and /metrics stay answerable with slow clients connected.
  ApplyServerLimits(*server_);
  server_->Get("/metrics",
               [this](const httplib::Request&, httplib::Response& res) {
                 prometheus::TextSerializer serializer;
                 res.set_content(serializer.Serialize(registry_->Collect()),
                                 "text/plain; version=0.0.4");
               });
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server_->Get(
      "/readyz", [this](const httplib::Request&, httplib::Response& res) {
        bool ready = ready_ ? ready_() : true;
        res.status = ready ? 200 : 503;
        res.set_content(ready ? "ready\n" : "not ready\n", "text/plain");
      });
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
  } else {
    port_ = server_->bind_to_port(host, port) ? port : -1;
  }
  if (port_ <= 0) {
    return absl::UnavailableError(
        absl::StrCat("admin port: cannot bind ", host, ":", port));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // httplib 0.11 drops a stop() issued before the accept loop runs, and the
  // join in Stop() would then wait forever (a --once run that ends within
  // milliseconds, e.g. fetcher finding the lock taken). Wait for the loop.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server_->is_running() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return absl::OkStatus();
}

void AdminServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace arxiv_digest
