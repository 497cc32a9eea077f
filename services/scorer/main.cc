// scorer: one replica of the consumer group on the papers stream, running
// [SELECTION] max_in_flight independent slots (adapters/scorer_slots.h).
// Wiring only: the scorer's flags, metrics, the LLM client, the slots;
// startup and exit codes are lib/app/service_app.h's.
#include <atomic>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "lib/app/service_app.h"
#include "lib/config/model_prices.h"
#include "lib/core/shutdown.h"
#include "lib/log/log.h"
#include "lib/metrics/stream_metrics.h"
#include "lib/redis/keys.h"
#include "services/scorer/adapters/llm_probe.h"
#include "services/scorer/adapters/llm_transport.h"
#include "services/scorer/adapters/openai_client.h"
#include "services/scorer/adapters/profile_providers.h"
#include "services/scorer/adapters/scorer_metrics.h"
#include "services/scorer/adapters/scorer_slots.h"
#include "services/scorer/logic/scorer_flags.h"

namespace arxiv_digest {
namespace {

absl::Status Serve(ServiceApp& app) {
  absl::StatusOr<ScorerFlags> flags =
      ReadScorerFlags(app.flags(), DefaultConsumerName("scorer"));
  if (!flags.ok()) return ConfigurationError(flags.status().message());
  const ScorerWorkerOptions options = WorkerOptionsFrom(*flags);
  const Config& config = app.config();
  // CheckProfileLlmSettings and the prices: spec.check_config, before this.
  // The default profile reading OPENAI_API_KEY keeps ChooseBackend's
  // message; every other profile's key is CheckProfileProviders'.
  const bool default_key_env = config.selection.api_key_env == "OPENAI_API_KEY";
  absl::StatusOr<std::string> backend =
      ChooseBackend(GetEnvOrEmpty("SCORER_BACKEND"),
                    default_key_env ? config.llm.api_key : "checked below");
  if (!backend.ok()) return ConfigurationError(backend.status().message());
  if (*backend != "lexical") {
    if (absl::Status s = CheckProfileProviders(app.profiles()); !s.ok()) {
      return ConfigurationError(s.message());
    }
  }
  absl::StatusOr<LlmProbeMode> probe_mode =
      ParseLlmProbeMode(app.flags().Get("--probe-llm"),
                        !GetEnvOrEmpty("KUBERNETES_SERVICE_HOST").empty());
  if (!probe_mode.ok()) return UsageError(probe_mode.status().message());

  ScorerMetrics metrics(app.registry());
  StreamMetrics streams(app.registry(), config.env.redis_url,
                        {{keys::PapersStream(), keys::kScorerGroup},
                         {keys::DeadLetterStream(), ""}});
  streams.Start();
  // Ready while Redis answers and the LLM backend has what it needs.
  const bool llm_usable =
      LlmConfigUsable(*backend, config.llm.api_key, config.llm.base_url);
  // And once the start-up probe of the endpoint passed (llm_probe.h).
  auto llm_probed = std::make_shared<std::atomic<bool>>(*backend == "lexical");
  if (absl::Status s = app.StartAdmin(
          [redis_ready = app.RedisReadiness(), llm_usable, llm_probed] {
            return llm_usable && *llm_probed && redis_ready();
          });
      !s.ok()) {
    return s;
  }

  // Shared by all slots, one per distinct reply cap and deadline of the
  // profiles (cpp-httplib opens a connection per request); they live until
  // the process exits, as abandoned calls need.
  LlmTransports transports;
  if (!*llm_probed) {
    // Each distinct (base URL, key, model) of the profiles once.
    if (absl::Status s =
            AwaitLlms(ProfileProbeTargets(app.profiles(), transports),
                      *probe_mode, SystemClock(), std::chrono::seconds(30),
                      *llm_probed, ShutdownRequested);
        !s.ok()) {
      return ConfigurationError(s.message());
    }
    if (ShutdownRequested()) return absl::OkStatus();
  }
  // One client per profile call setup (scorer_slots.h ProfileLlms): each
  // run is scored with its own profile's provider, model, options and
  // call limits.
  LlmClientFactory make_llm = OpenAiClientFactory(
      transports,
      [&](const std::string& outcome, double seconds) {
        metrics.llm_requests.Add({{"outcome", outcome}}).Increment();
        metrics.llm_duration.Observe(seconds);
      },
      [&] { metrics.llm_retries.Increment(); });
  Shared shared{&app.profiles(), *backend == "lexical", make_llm, &metrics,
                options};
  if (shared.lexical) {
    LogWarning("using the built-in lexical scorer, not an LLM");
  }

  std::vector<std::unique_ptr<Slot>> slots;
  for (int i = 0; i < config.selection.max_in_flight; ++i) {
    absl::StatusOr<std::unique_ptr<Slot>> slot = MakeSlot(shared, i);
    if (!slot.ok()) {
      return absl::Status(slot.status().code(),
                          absl::StrCat("REDIS_URL: ", slot.status().message()));
    }
    slots.push_back(*std::move(slot));
  }
  LogInfo("scorer started",
          {{"consumer", options.consumer},
           {"backend", *backend},
           {"model", shared.lexical ? std::string("local-lexical")
                                    : config.selection.model},
           {"profiles", std::to_string(app.profiles().size())},
           {"max_in_flight", std::to_string(slots.size())}});
  std::vector<std::thread> threads;
  threads.reserve(slots.size());
  for (auto& slot : slots) {
    threads.emplace_back([&slot] { slot->worker->Run(); });
  }
  // SIGTERM: every slot finishes its current batch (scores appended and
  // acked) and returns; unfinished reads stay pending for other replicas.
  for (std::thread& t : threads) t.join();
  LogInfo("scorer stopped", {{"consumer", options.consumer}});
  return absl::OkStatus();
}

}  // namespace
}  // namespace arxiv_digest

int main(int argc, char** argv) {
  arxiv_digest::ServiceSpec spec;
  spec.name = "scorer";
  spec.usage = arxiv_digest::kScorerUsage;
  spec.default_admin_port = 9102;
  spec.value_flags = arxiv_digest::ScorerValueFlags();
  spec.value_flags.insert("--probe-llm");  // llm_probe.h
  // The scorer spends the tokens that the publisher prices: a profile
  // model without a price stops both at startup and in --check-config,
  // not only the publisher after the money is spent.
  // Conflicting per-model limits between profiles fail the same way.
  spec.check_config = [](const arxiv_digest::ServiceApp& app) {
    if (absl::Status s = arxiv_digest::CheckProfileLlmSettings(app.profiles());
        !s.ok()) {
      return s;
    }
    return arxiv_digest::CheckProfilePrices(app.configs_dir(), app.profiles());
  };
  return arxiv_digest::RunService(argc, argv, spec, arxiv_digest::Serve);
}
