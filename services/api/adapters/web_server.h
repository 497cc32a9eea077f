// The digest web site on cpp-httplib (read-only, no authentication):
//   /                          profiles
//   /p/<profile>/              dates, newest first, with version links
//   /p/<profile>/<date>        the stored HTML of the latest version (?v=N),
//                              with Atom autodiscovery, previous/next day
//                              and the list of profiles added
//   /p/<profile>/<date>.json   the JSON dump (?v=N)
//   /p/<profile>/<date>.md     the Markdown (?v=N)
//   /p/<profile>/feed.atom     Atom feed: one entry per paper of the latest
//                              30 digests
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "services/api/adapters/profile_catalog.h"
#include "services/api/adapters/redis_pool.h"

namespace httplib {
class Server;
}

namespace arxiv_digest::api {

class ApiMetrics;

struct WebServerOptions {
  std::string host = "0.0.0.0";
  int port = 8080;  // 0 = ephemeral
  // Absolute links in the Atom feed; empty: from the request's Host header.
  std::string base_url;
  int feed_entries = 30;
};

class WebServer {
 public:
  WebServer(RedisPool& pool, const ProfileCatalog& profiles,
            ApiMetrics& metrics, WebServerOptions options);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  absl::StatusOr<int> Start();  // the bound port
  void Stop();

 private:
  RedisPool& pool_;
  const ProfileCatalog& profiles_;
  ApiMetrics& metrics_;
  WebServerOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace arxiv_digest::api
