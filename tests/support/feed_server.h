// A static arXiv RSS server on loopback: the fetcher's ARXIV_RSS_URL points
// here, so tests run against real feed files over real HTTP.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace arxiv_digest::testing {

// What the server answers for one feed name instead of its file.
struct FeedOverride {
  int status = 200;
  std::string body{};
  std::string content_type = "application/rss+xml; charset=utf-8";
};

class FeedServer {
 public:
  // Serves GET /rss/<name> from "<dir>/<name>.xml" on 127.0.0.1, port 0.
  static absl::StatusOr<std::unique_ptr<FeedServer>> Start(std::string dir);

  FeedServer(const FeedServer&) = delete;
  FeedServer& operator=(const FeedServer&) = delete;
  ~FeedServer();

  int port() const { return port_; }
  std::string base_url() const;  // "http://127.0.0.1:P/rss/"
  const std::string& dir() const { return dir_; }

  // Overrides one feed name (e.g. "cs.CL+cs.LG") until cleared: a 503, an
  // HTML error page with 200, truncated XML...
  void SetOverride(const std::string& name, FeedOverride response);
  void ClearOverride(const std::string& name);

  int64_t requests() const { return requests_.load(); }
  int64_t requests_for(const std::string& name) const;

  void Stop();

 private:
  FeedServer() = default;

  std::string dir_;
  int port_ = 0;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<int64_t> requests_{0};
  mutable std::mutex mu_;
  std::map<std::string, FeedOverride> overrides_;  // guarded by mu_
  std::map<std::string, int64_t> per_name_;        // guarded by mu_
};

}  // namespace arxiv_digest::testing
