// api: the gRPC DigestService (runs, rescoring, digests), the digest web
// site and the per-profile fan-out of daily runs. Wiring only.
#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "lib/config/config.h"
#include "lib/core/flags.h"
#include "lib/core/shutdown.h"
#include "lib/log/log.h"
#include "lib/metrics/admin_server.h"
#include "services/api/adapters/api_metrics.h"
#include "services/api/adapters/digest_api.h"
#include "services/api/adapters/digest_service.h"
#include "services/api/adapters/grpc_server.h"
#include "services/api/adapters/profile_catalog.h"
#include "services/api/adapters/profile_fanout.h"
#include "services/api/adapters/redis_pool.h"
#include "services/api/adapters/watch_scheduler.h"
#include "services/api/adapters/web_server.h"
#include "services/api/logic/auth.h"

namespace arxiv_digest::api {
namespace {

constexpr char kUsage[] =
    "usage: api [--configs DIR] [--grpc-port N] [--grpc-host H]\n"
    "           [--admin-port N] [--admin-host H] [--web-port N] [--web-host "
    "H]\n"
    "           [--web-base-url URL] [--tokens FILE] [--tls-cert PEM --tls-key "
    "PEM]\n"
    "           [--rescore-burst N] [--rescore-period-seconds S]\n"
    "           [--consumer NAME] [--no-fanout]\n"
    "Defaults: gRPC 50051, admin 9104 (/metrics /healthz /readyz), web 8080.\n"
    "--tokens (or API_TOKENS_FILE): lines 'token role client-name', roles\n"
    "  reader|operator. Without it reads are open and TriggerRun/Rescore are\n"
    "  refused. --web-port 0 / --grpc-port 0 pick a free port.\n"
    "Environment: REDIS_URL, API_TOKENS_FILE\n";

int Fail(const std::string& what, int code) {
  std::cerr << "api: " << what << "\n";
  return code;
}

int Main(int argc, char** argv) {
  InitLogging("api");
  absl::StatusOr<ParsedFlags> flags =
      ParseFlags(argc, argv, 1,
                 {"--configs", "--grpc-port", "--grpc-host", "--admin-port",
                  "--admin-host", "--web-port", "--web-host", "--web-base-url",
                  "--tokens", "--tls-cert", "--tls-key", "--rescore-burst",
                  "--rescore-period-seconds", "--consumer"},
                 {"--help", "--no-fanout"});
  if (!flags.ok()) {
    std::cerr << "api: " << flags.status().message() << "\n" << kUsage;
    return 2;
  }
  if (flags->Has("--help")) {
    std::cout << kUsage;
    return 0;
  }
  absl::StatusOr<int> grpc_port = flags->GetInt("--grpc-port", 50051);
  absl::StatusOr<int> admin_port = flags->GetInt("--admin-port", 9104);
  absl::StatusOr<int> web_port = flags->GetInt("--web-port", 8080);
  absl::StatusOr<int> burst = flags->GetInt("--rescore-burst", 5);
  absl::StatusOr<int> period = flags->GetInt("--rescore-period-seconds", 600);
  for (const auto* v : {&grpc_port, &admin_port, &web_port, &burst, &period}) {
    if (!v->ok()) return Fail(std::string(v->status().message()), 2);
  }
  std::string configs_dir = flags->Get("--configs", "configs");
  absl::StatusOr<Config> config = LoadConfig(configs_dir);
  if (!config.ok()) {
    return Fail(
        absl::StrCat("configuration error: ", config.status().message()), 2);
  }

  // Tokens: never logged; only how many clients there are.
  std::string tokens_file =
      flags->Get("--tokens", GetEnvOrEmpty("API_TOKENS_FILE"));
  TokenTable tokens;
  if (!tokens_file.empty()) {
    std::ifstream in(tokens_file);
    if (!in)
      return Fail(absl::StrCat("--tokens: cannot read ", tokens_file), 2);
    std::ostringstream text;
    text << in.rdbuf();
    absl::StatusOr<TokenTable> parsed = TokenTable::Parse(text.str());
    if (!parsed.ok()) {
      return Fail(absl::StrCat("--tokens: ", parsed.status().message()), 2);
    }
    tokens = *std::move(parsed);
  }

  RedisPool pool(config->env.redis_url);
  if (absl::StatusOr<RedisPool::Lease> probe = pool.Acquire(); !probe.ok()) {
    return Fail(absl::StrCat("REDIS_URL: ", probe.status().message()), 1);
  }
  auto registry = std::make_shared<prometheus::Registry>();
  ApiMetrics metrics(registry);
  AdminServer admin(registry, [&pool] {
    absl::StatusOr<RedisPool::Lease> redis = pool.Acquire();
    return redis.ok() && (**redis).Command({"PING"}).ok();
  });
  if (absl::Status s =
          admin.Start(flags->Get("--admin-host", "0.0.0.0"), *admin_port);
      !s.ok()) {
    return Fail(absl::StrCat("--admin-port: ", s.message()), 2);
  }

  ProfileCatalog profiles(configs_dir);
  DigestApiOptions api_options;
  api_options.rescore_burst = *burst;
  api_options.rescore_period = std::chrono::seconds(*period);
  DigestApiEnv env = RealDigestApiEnv();
  DigestApi api(pool, profiles, metrics, env, api_options);
  WatchScheduler scheduler;
  DigestService service(api, &tokens, metrics, scheduler);
  GrpcServer grpc_server;
  GrpcServerOptions grpc_options;
  grpc_options.address =
      absl::StrCat(flags->Get("--grpc-host", "0.0.0.0"), ":", *grpc_port);
  grpc_options.tls_cert_file = flags->Get("--tls-cert");
  grpc_options.tls_key_file = flags->Get("--tls-key");
  absl::StatusOr<int> bound = grpc_server.Start(service, grpc_options);
  if (!bound.ok()) return Fail(std::string(bound.status().message()), 2);

  WebServerOptions web_options;
  web_options.host = flags->Get("--web-host", "0.0.0.0");
  web_options.port = *web_port;
  web_options.base_url = flags->Get("--web-base-url");
  WebServer web(pool, profiles, metrics, web_options);
  absl::StatusOr<int> web_bound = web.Start();
  if (!web_bound.ok())
    return Fail(std::string(web_bound.status().message()), 2);

  InstallShutdownHandlers();
  std::thread fanout_thread;
  if (!flags->Has("--no-fanout")) {
    fanout_thread = std::thread([&] {
      absl::StatusOr<std::unique_ptr<RedisClient>> redis =
          RedisClient::Connect(config->env.redis_url);
      if (!redis.ok()) {
        LogError("profile fan-out: no Redis connection");
        return;
      }
      ProfileFanoutOptions options;
      options.consumer = flags->Get("--consumer", "api-1");
      ProfileFanout fanout(
          **redis, [&profiles] { return profiles.List(); }, env.random, env.now,
          &metrics, options);
      while (!ShutdownRequested()) {
        if (absl::Status s = fanout.Init(); s.ok()) break;
        std::this_thread::sleep_for(std::chrono::seconds(1));
      }
      fanout.Run([] { return ShutdownRequested(); });
    });
  }
  LogInfo("api started",
          {{"grpc_port", std::to_string(*bound)},
           {"web_port", std::to_string(*web_bound)},
           {"admin_port", std::to_string(admin.port())},
           {"tls", grpc_options.tls_cert_file.empty() ? "off" : "on"},
           {"clients", std::to_string(tokens.size())},
           {"reflection", ReflectionAvailable() ? "on" : "off"}});
  // Machine-readable for tests and scripts that start it on port 0.
  std::cout << "grpc_port=" << *bound << "\nweb_port=" << *web_bound
            << "\nadmin_port=" << admin.port() << std::endl;
  while (!ShutdownRequested()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  LogInfo("api stopping");
  scheduler.Stop();  // open WatchJob streams end now, not at the deadline
  grpc_server.Shutdown(std::chrono::seconds(5));
  web.Stop();
  if (fanout_thread.joinable()) fanout_thread.join();
  admin.Stop();
  LogInfo("api stopped");
  return 0;
}

}  // namespace
}  // namespace arxiv_digest::api

int main(int argc, char** argv) { return arxiv_digest::api::Main(argc, argv); }
