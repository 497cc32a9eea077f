// scorer: one replica of the consumer group on the papers stream. Wiring
// only: configuration, Redis, the scoring backend, metrics, the loop.
#include <unistd.h>

#include <iostream>

#include "lib/config/config.h"
#include "lib/core/flags.h"
#include "lib/core/shutdown.h"
#include "lib/http/http_client.h"
#include "lib/log/log.h"
#include "lib/metrics/admin_server.h"
#include "lib/redis/redis_client.h"
#include "services/scorer/adapters/openai_client.h"
#include "services/scorer/adapters/scorer_metrics.h"
#include "services/scorer/adapters/scorer_worker.h"

namespace arxiv_digest {
namespace {

constexpr char kUsage[] =
    "usage: scorer [--configs DIR] [--consumer NAME] [--admin-port N]\n"
    "              [--claim-idle-ms N] [--max-deliveries N]\n"
    "Environment: REDIS_URL, OPENAI_API_KEY, OPENAI_BASE_URL,\n"
    "  SCORER_BACKEND=openai (default) | lexical (built-in local scorer,\n"
    "  no API key or network needed)\n";

std::string DefaultConsumer() {
  char host[256] = "scorer";
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + "-" + std::to_string(getpid());
}

int Main(int argc, char** argv) {
  InitLogging("scorer");
  absl::StatusOr<ParsedFlags> flags = ParseFlags(
      argc, argv, 1,
      {"--configs", "--consumer", "--admin-port", "--admin-host",
       "--claim-idle-ms", "--max-deliveries"},
      {"--help"});
  if (!flags.ok()) {
    std::cerr << "scorer: " << flags.status().message() << "\n" << kUsage;
    return 2;
  }
  if (flags->Has("--help")) {
    std::cout << kUsage;
    return 0;
  }
  ScorerWorkerOptions options;
  options.consumer = flags->Get("--consumer", DefaultConsumer());
  absl::StatusOr<int> admin_port = flags->GetInt("--admin-port", 9102);
  absl::StatusOr<int> claim_idle = flags->GetInt("--claim-idle-ms", 60000);
  absl::StatusOr<int> max_deliveries = flags->GetInt("--max-deliveries", 5);
  for (const absl::StatusOr<int>* v : {&admin_port, &claim_idle, &max_deliveries}) {
    if (!v->ok()) {
      std::cerr << "scorer: " << v->status().message() << "\n";
      return 2;
    }
  }
  options.claim_idle = std::chrono::milliseconds(*claim_idle);
  options.max_deliveries = *max_deliveries;

  absl::StatusOr<Config> config = LoadConfig(flags->Get("--configs", "configs"));
  if (!config.ok()) {
    std::cerr << "scorer: configuration error: " << config.status().message()
              << "\n";
    return 2;
  }
  std::string backend_name = GetEnvOrEmpty("SCORER_BACKEND");
  if (backend_name.empty()) backend_name = "openai";
  if (backend_name != "openai" && backend_name != "lexical") {
    std::cerr << "scorer: SCORER_BACKEND: '" << backend_name
              << "' is not openai or lexical\n";
    return 2;
  }
  if (backend_name == "openai" && config->env.openai_api_key.empty()) {
    std::cerr << "scorer: OPENAI_API_KEY: not set (or set SCORER_BACKEND="
                 "lexical for the built-in local scorer)\n";
    return 2;
  }

  absl::StatusOr<std::unique_ptr<RedisClient>> redis =
      RedisClient::Connect(config->env.redis_url);
  if (!redis.ok()) {
    std::cerr << "scorer: REDIS_URL: " << redis.status().message() << "\n";
    return 1;
  }
  auto registry = std::make_shared<prometheus::Registry>();
  ScorerMetrics metrics(registry);
  AdminServer admin(registry, [] { return true; });
  if (absl::Status s =
          admin.Start(flags->Get("--admin-host", "0.0.0.0"), *admin_port);
      !s.ok()) {
    std::cerr << "scorer: --admin-port: " << s.message() << "\n";
    return 2;
  }

  HttplibClient http;
  OpenAiClientOptions llm_options;
  llm_options.base_url = config->env.openai_base_url;
  llm_options.api_key = config->env.openai_api_key;
  llm_options.request.model = config->selection.model;
  OpenAiClient llm(http, llm_options,
                   [&](const std::string& outcome, double seconds) {
                     metrics.llm_requests.Add({{"outcome", outcome}}).Increment();
                     metrics.llm_duration.Observe(seconds);
                   });
  std::unique_ptr<ScoringBackend> backend;
  if (backend_name == "lexical") {
    LogWarning("using the built-in lexical scorer, not an LLM");
    backend = std::make_unique<LexicalScoringBackend>(config->prompts.topics);
  } else {
    backend = std::make_unique<LlmScoringBackend>(
        config->prompts, config->selection.model,
        config->selection.abstract_retry, llm);
  }

  ScorerWorker worker(**redis, *config, *backend, metrics, options);
  if (absl::Status s = worker.Init(); !s.ok()) {
    std::cerr << "scorer: " << s.message() << "\n";
    return 1;
  }
  InstallShutdownHandlers();
  LogInfo("scorer started", {{"consumer", options.consumer},
                             {"backend", backend_name},
                             {"model", backend->model()}});
  worker.Run();
  LogInfo("scorer stopped", {{"consumer", options.consumer}});
  return 0;
}

}  // namespace
}  // namespace arxiv_digest

int main(int argc, char** argv) { return arxiv_digest::Main(argc, argv); }
