// The api's servers on one Redis pool: the gRPC DigestService, the digest
// web site and the profile fan-out thread, configured from the command
// line and stopped in the order the service needs.
#pragma once

#include <functional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "lib/config/config.h"
#include "lib/core/clock.h"
#include "services/api/adapters/api_metrics.h"
#include "services/api/adapters/digest_api.h"
#include "services/api/adapters/digest_service.h"
#include "services/api/adapters/grpc_server.h"
#include "services/api/adapters/profile_catalog.h"
#include "services/api/adapters/redis_pool.h"
#include "services/api/adapters/watch_scheduler.h"
#include "services/api/adapters/web_server.h"
#include "services/api/logic/api_flags.h"
#include "services/api/logic/auth.h"

namespace arxiv_digest::api {

class ApiServers {
 public:
  // Everything passed in must outlive this object.
  // `retention`: the default profile's [RETENTION] (runs it writes expire
  // after run_days).
  ApiServers(RedisPool& pool, const ProfileCatalog& profiles,
             ApiMetrics& metrics, const TokenTable& tokens,
             const ApiFlags& flags, const RetentionConfig& retention = {},
             Clock& clock = SystemClock());
  ~ApiServers() { Stop(); }
  ApiServers(const ApiServers&) = delete;
  ApiServers& operator=(const ApiServers&) = delete;

  // gRPC, then the web site; the error is what main prints.
  absl::Status Start();
  // The fan-out thread on its own connection to `redis_url`, until `stop()`.
  void StartFanout(const std::string& redis_url, std::function<bool()> stop);

  int grpc_port() const { return grpc_port_; }
  int web_port() const { return web_port_; }

  // Open WatchJob streams end now (not at the deadline), then gRPC (5 s
  // grace), the web site and the fan-out thread. Idempotent.
  void Stop();

 private:
  const ApiFlags flags_;
  const ProfileCatalog& profiles_;
  ApiMetrics& metrics_;
  Clock& clock_;
  RunIdRandom random_;
  DigestApi api_;
  WatchScheduler scheduler_;
  DigestService service_;
  GrpcServer grpc_;
  WebServer web_;
  std::thread fanout_;
  int grpc_port_ = 0, web_port_ = 0;
  bool stopped_ = false;
};

}  // namespace arxiv_digest::api
