// scorer: one replica of the consumer group on the papers stream, running
// [SELECTION] max_in_flight independent slots (thread + Redis connection +
// consumer name each), so replicas x slots LLM calls are in flight. Wiring
// only: configuration, Redis, the scoring backend, limits, cache, metrics.
#include <unistd.h>

#include <iostream>
#include <thread>

#include "lib/config/config.h"
#include "lib/config/profiles.h"
#include "lib/core/flags.h"
#include "lib/core/shutdown.h"
#include "lib/http/http_client.h"
#include "lib/log/log.h"
#include "lib/metrics/admin_server.h"
#include "lib/metrics/stream_metrics.h"
#include "lib/prompt/cache_friendly_prompt.h"
#include "lib/redis/keys.h"
#include "lib/redis/rate_limiter.h"
#include "lib/redis/redis_client.h"
#include "services/scorer/adapters/openai_client.h"
#include "services/scorer/adapters/rate_limited_llm_client.h"
#include "services/scorer/adapters/redis_score_cache.h"
#include "services/scorer/adapters/scorer_metrics.h"
#include "services/scorer/adapters/scorer_worker.h"

namespace arxiv_digest {
namespace {

constexpr char kUsage[] =
    "usage: scorer [--configs DIR] [--consumer NAME] [--admin-port N]\n"
    "              [--claim-idle-ms N] [--max-deliveries N]\n"
    "              [--batch-fill-ms N]  (wait to fill a partial batch; 300)\n"
    "Environment: REDIS_URL, OPENAI_API_KEY, OPENAI_BASE_URL,\n"
    "  OPENAI_EXTRA_HEADERS, SCORER_BACKEND=openai (default) | lexical\n"
    "  (built-in local scorer, no API key or network needed)\n";

std::string DefaultConsumer() {
  char host[256] = "scorer";
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + "-" + std::to_string(getpid());
}

// Everything one in-flight slot owns; hiredis contexts are per thread.
struct Slot {
  std::unique_ptr<RedisClient> redis;
  std::unique_ptr<RateLimitedLlmClient> limited_llm;
  std::unique_ptr<ScorerWorker> worker;
};

struct Shared {
  const std::map<std::string, Config>* profiles;
  bool lexical;
  LlmClient* llm;
  ScorerMetrics* metrics;
  ScorerWorkerOptions options;
};

// A run's scoring context: the lexical scorer, or the LLM backend with the
// profile's prompts, its score cache and (if enabled) the pre-filter.
std::unique_ptr<ScoringContext> MakeContext(bool lexical, LlmClient* llm,
                                            RedisClient& redis, Config config) {
  auto context = std::make_unique<ScoringContext>();
  if (lexical) {
    context->backend =
        std::make_unique<LexicalScoringBackend>(config.prompts.topics);
  } else {
    context->backend = std::make_unique<LlmScoringBackend>(
        config.prompts, config.selection.model, config.selection.abstract_retry,
        *llm, config.selection.cache_friendly_prompt);
    if (config.selection.score_cache_ttl_days > 0) {
      context->cache = std::make_unique<RedisScoreCache>(
          redis, config.selection.model, PromptFingerprint(config.prompts),
          std::chrono::hours(24) * config.selection.score_cache_ttl_days);
    }
    if (config.selection.prefilter_keep_share > 0) {
      context->lexical = std::make_unique<LexicalScorer>(config.prompts.topics);
    }
  }
  context->config = std::move(config);
  return context;
}

absl::StatusOr<std::unique_ptr<Slot>> MakeSlot(const Shared& shared,
                                               int index) {
  const Config& config = shared.profiles->at(kDefaultProfile);
  auto slot = std::make_unique<Slot>();
  absl::StatusOr<std::unique_ptr<RedisClient>> redis =
      RedisClient::Connect(config.env.redis_url);
  if (!redis.ok()) return redis.status();
  slot->redis = *std::move(redis);

  if (!shared.lexical) {
    // Provider limits are per model and shared by every replica and slot.
    std::unique_ptr<RedisTokenBucket> rpm, tpm;
    const std::string limit_key =
        std::string(keys::kPrefix) + "llm-limit:" + config.selection.model;
    if (config.selection.limit_per_minute > 0) {
      rpm = std::make_unique<RedisTokenBucket>(
          *slot->redis, limit_key + ":requests",
          config.selection.limit_per_minute, std::chrono::minutes(1));
    }
    if (config.selection.tokens_per_minute > 0) {
      tpm = std::make_unique<RedisTokenBucket>(
          *slot->redis, limit_key + ":tokens",
          config.selection.tokens_per_minute, std::chrono::minutes(1));
    }
    // Roughly 60 completion tokens per paper line of JSONL.
    int expected_completion = 60 * config.selection.abstract_batch_size;
    slot->limited_llm = std::make_unique<RateLimitedLlmClient>(
        *shared.llm, std::move(rpm), std::move(tpm), expected_completion);
  }
  ScorerWorkerOptions options = shared.options;
  if (config.selection.max_in_flight > 1) {
    options.consumer += "/" + std::to_string(index);
  }
  RedisClient* slot_redis = slot->redis.get();
  LlmClient* slot_llm = slot->limited_llm.get();
  bool lexical = shared.lexical;
  slot->worker = std::make_unique<ScorerWorker>(
      *slot->redis, *shared.profiles,
      [lexical, slot_llm, slot_redis](Config c) {
        return MakeContext(lexical, slot_llm, *slot_redis, std::move(c));
      },
      *shared.metrics, options);
  if (absl::Status s = slot->worker->Init(); !s.ok()) return s;
  return slot;
}

int Main(int argc, char** argv) {
  InitLogging("scorer");
  absl::StatusOr<ParsedFlags> flags =
      ParseFlags(argc, argv, 1,
                 {"--configs", "--consumer", "--admin-port", "--admin-host",
                  "--claim-idle-ms", "--max-deliveries", "--batch-fill-ms"},
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
  absl::StatusOr<int> batch_fill = flags->GetInt("--batch-fill-ms", 300);
  for (const absl::StatusOr<int>* v :
       {&admin_port, &claim_idle, &max_deliveries, &batch_fill}) {
    if (!v->ok()) {
      std::cerr << "scorer: " << v->status().message() << "\n";
      return 2;
    }
  }
  options.claim_idle = std::chrono::milliseconds(*claim_idle);
  options.max_deliveries = *max_deliveries;
  options.batch_fill = std::chrono::milliseconds(*batch_fill);

  absl::StatusOr<std::map<std::string, Config>> profiles =
      LoadProfiles(flags->Get("--configs", "configs"));
  if (!profiles.ok()) {
    std::cerr << "scorer: configuration error: " << profiles.status().message()
              << "\n";
    return 2;
  }
  const Config* config = &profiles->at(kDefaultProfile);
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

  auto registry = std::make_shared<prometheus::Registry>();
  ScorerMetrics metrics(registry);
  StreamMetrics streams(registry, config->env.redis_url,
                        {{keys::PapersStream(), keys::kScorerGroup},
                         {keys::DeadLetterStream(), ""}});
  streams.Start();
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
  llm_options.extra_headers = config->env.openai_extra_headers;
  llm_options.request.model = config->selection.model;
  llm_options.request.max_tokens = config->selection.max_tokens;
  llm_options.request.json_mode = config->selection.json_mode;
  llm_options.request.send_temperature = config->selection.send_temperature;
  // Shared by all slots: cpp-httplib opens a connection per request.
  OpenAiClient llm(
      http, llm_options,
      [&](const std::string& outcome, double seconds) {
        metrics.llm_requests.Add({{"outcome", outcome}}).Increment();
        metrics.llm_duration.Observe(seconds);
      },
      /*sleeper=*/{}, [&] { metrics.llm_retries.Increment(); });
  Shared shared{&*profiles, backend_name == "lexical", &llm, &metrics, options};
  if (shared.lexical) {
    LogWarning("using the built-in lexical scorer, not an LLM");
  }

  std::vector<std::unique_ptr<Slot>> slots;
  for (int i = 0; i < config->selection.max_in_flight; ++i) {
    absl::StatusOr<std::unique_ptr<Slot>> slot = MakeSlot(shared, i);
    if (!slot.ok()) {
      std::cerr << "scorer: REDIS_URL: " << slot.status().message() << "\n";
      return 1;
    }
    slots.push_back(*std::move(slot));
  }
  InstallShutdownHandlers();
  LogInfo("scorer started",
          {{"consumer", options.consumer},
           {"backend", backend_name},
           {"model", shared.lexical ? std::string("local-lexical")
                                    : config->selection.model},
           {"profiles", std::to_string(profiles->size())},
           {"max_in_flight", std::to_string(slots.size())}});
  std::vector<std::thread> threads;
  for (auto& slot : slots) {
    threads.emplace_back([&slot] { slot->worker->Run(); });
  }
  // SIGTERM: every slot finishes its current batch (scores appended and
  // acked) and returns; unfinished reads stay pending for other replicas.
  for (std::thread& t : threads) t.join();
  LogInfo("scorer stopped", {{"consumer", options.consumer}});
  return 0;
}

}  // namespace
}  // namespace arxiv_digest

int main(int argc, char** argv) { return arxiv_digest::Main(argc, argv); }
