// api: the gRPC DigestService (runs, rescoring, digests), the digest web
// site and the per-profile fan-out of daily runs. Wiring only: the common
// flags, configs/, the admin port and shutdown are lib/app's.
#include <chrono>
#include <iostream>
#include <string>

#include "lib/app/service_app.h"
#include "lib/config/config.h"
#include "lib/core/clock.h"
#include "lib/core/shutdown.h"
#include "lib/log/log.h"
#include "services/api/adapters/api_metrics.h"
#include "services/api/adapters/api_servers.h"
#include "services/api/adapters/grpc_server.h"
#include "services/api/adapters/profile_catalog.h"
#include "services/api/adapters/redis_pool.h"
#include "services/api/adapters/token_file.h"
#include "services/api/logic/api_flags.h"

namespace arxiv_digest::api {
namespace {

absl::Status Serve(ServiceApp& app) {
  absl::StatusOr<ApiFlags> flags =
      ApiFlagsFrom(app.flags(), GetEnvOrEmpty("API_TOKENS_FILE"));
  if (!flags.ok()) return ConfigurationError(flags.status().message());
  // Tokens: never logged; only how many clients there are.
  absl::StatusOr<TokenTable> tokens = LoadTokenFile(flags->tokens_file);
  if (!tokens.ok()) return ConfigurationError(tokens.status().message());

  // Handlers borrow connections from the pool; this one only proves Redis
  // is reachable before the ports open.
  if (absl::Status probe = app.ConnectRedis().status(); !probe.ok()) {
    return probe;
  }
  RedisPool pool(app.config().env.redis_url);
  ApiMetrics metrics(app.registry());
  if (absl::Status s = app.StartAdmin([&pool] { return pool.Ping(); });
      !s.ok()) {
    return s;
  }
  ProfileCatalog profiles(app.configs_dir());
  ApiServers servers(pool, profiles, metrics, *tokens, *flags,
                     app.config().retention);
  if (absl::Status s = servers.Start(); !s.ok()) {
    return ConfigurationError(s.message());
  }
  if (flags->fanout) {
    servers.StartFanout(pool.url(), [] { return ShutdownRequested(); });
  }
  const int admin_port = app.admin()->port();
  LogInfo("api started",
          {{"grpc_port", std::to_string(servers.grpc_port())},
           {"web_port", std::to_string(servers.web_port())},
           {"admin_port", std::to_string(admin_port)},
           {"tls", flags->tls_cert.empty() ? "off" : "on"},
           {"clients", std::to_string(tokens->size())},
           {"reflection", ReflectionAvailable() ? "on" : "off"}});
  // Machine-readable for tests and scripts that start it on port 0.
  std::cout << "grpc_port=" << servers.grpc_port()
            << "\nweb_port=" << servers.web_port()
            << "\nadmin_port=" << admin_port << std::endl;
  while (!ShutdownRequested()) {
    SystemClock().SleepFor(std::chrono::milliseconds(100));
  }
  LogInfo("api stopping");
  servers.Stop();
  app.admin()->Stop();
  LogInfo("api stopped");
  return absl::OkStatus();
}

}  // namespace
}  // namespace arxiv_digest::api

int main(int argc, char** argv) {
  arxiv_digest::ServiceSpec spec;
  spec.name = "api";
  spec.usage = arxiv_digest::api::kApiUsage;
  spec.default_admin_port = 9104;
  spec.value_flags = arxiv_digest::api::ApiValueFlags();
  spec.switch_flags = arxiv_digest::api::ApiSwitchFlags();
  spec.load_profiles = false;  // configs/ only; profiles are read per call
  return arxiv_digest::RunService(argc, argv, spec, arxiv_digest::api::Serve);
}
