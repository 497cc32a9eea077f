// The scorer's in-flight slots: [SELECTION] max_in_flight independent
// workers (thread + Redis connection + consumer name each), so replicas x
// slots LLM calls are in flight. Every run is scored with its own
// profile's model, provider options and limits (ProfileLlms).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "lib/redis/redis_client.h"
#include "services/scorer/adapters/llm_transport.h"
#include "services/scorer/adapters/openai_client.h"
#include "services/scorer/adapters/rate_limited_llm_client.h"
#include "services/scorer/adapters/scorer_metrics.h"
#include "services/scorer/adapters/scorer_worker.h"
#include "services/scorer/logic/scorer_flags.h"
#include "services/scorer/logic/scoring_backend.h"
#include "services/scorer/logic/scoring_context.h"

namespace arxiv_digest {

// Makes the chat client of one call setup from its options and the
// profile's [SELECTION] (whose llm_timeout_seconds and max_reply_bytes
// choose the transport). main.cc: OpenAiClientFactory; tests: a fake.
using LlmClientFactory = std::function<std::unique_ptr<LlmClient>(
    const OpenAiClientOptions&, const SelectionConfig&)>;

// OpenAiClients on `transports.For(selection)`: each profile's calls get
// its own reply cap and deadline. `transports` must outlive the clients.
LlmClientFactory OpenAiClientFactory(LlmTransports& transports,
                                     LlmCallObserver observer,
                                     std::function<void()> on_retry);

// The LLM clients of one slot: one per distinct call setup of the profiles
// it scores for (provider, model, provider options, call limits, rate
// limits, batch size), each behind the shared token buckets of its
// provider's model (LlmLimitKey), so a profile with `model = gpt-4o-mini`
// calls gpt-4o-mini at its own base_url with its own key and counts against
// that provider's gpt-4o-mini limits. Created on first use; used by the
// slot's own thread only (not thread-safe).
class ProfileLlms {
 public:
  ProfileLlms(RedisClient& redis, LlmClientFactory make_client);
  // The client for `config`'s [SELECTION] settings; borrowed, lives as long
  // as this object.
  LlmClient& For(const Config& config);
  size_t size() const { return by_setup_.size(); }

 private:
  struct Entry {
    std::unique_ptr<LlmClient> client;
    std::unique_ptr<RateLimitedLlmClient> limited;
  };
  RedisClient& redis_;
  LlmClientFactory make_client_;
  std::map<std::string, Entry> by_setup_;
};

// Everything one in-flight slot owns; hiredis contexts are per thread.
struct Slot {
  std::unique_ptr<RedisClient> redis;
  // Renews the entries of an LLM call in flight (PendingHeartbeat); null
  // for the lexical backend, whose batches take milliseconds.
  std::unique_ptr<RedisClient> keepalive_redis;
  std::unique_ptr<ProfileLlms> llms;  // null for the lexical backend
  std::unique_ptr<ScorerWorker> worker;
};

// What every slot shares.
struct Shared {
  const std::map<std::string, Config>* profiles;
  bool lexical;
  LlmClientFactory make_llm;  // unused when lexical
  ScorerMetrics* metrics;
  ScorerWorkerOptions options;
};

// A run's scoring context: the lexical scorer, or the LLM backend with the
// profile's prompts, its score cache and (if enabled) the pre-filter.
std::unique_ptr<ScoringContext> MakeContext(bool lexical, LlmClient* llm,
                                            RedisClient& redis, Config config);

// Connects slot `index` to Redis, puts the provider's shared limits in
// front of the LLM and creates the consumer group if needed.
absl::StatusOr<std::unique_ptr<Slot>> MakeSlot(const Shared& shared, int index);

ScorerWorkerOptions WorkerOptionsFrom(const ScorerFlags& flags);

// The LLM client's options from a profile's config: its resolved provider
// (config.llm: base URL, key, extra headers), model and provider options.
OpenAiClientOptions LlmOptionsFor(const Config& config);

// A base URL as one provider: without trailing slashes.
std::string NormalizedBaseUrl(std::string base_url);

// The profile's model as one provider serves it, for Redis keys: the model
// name for the deployment's OPENAI_BASE_URL (the keys every replica used
// before per-profile providers, so a running deployment keeps them), else
// model + "@" + a hash of the base URL, which keeps URL credentials out of
// Redis. Rate-limit buckets and the score cache are keyed by it: the same
// model name at another provider may be another model.
std::string ProviderModelKey(const Config& config);

// The Redis prefix of the shared request/token buckets of the profile's
// (base URL, model): keys::LlmLimit(ProviderModelKey(config)).
std::string LlmLimitKey(const Config& config);

// Settings that cannot differ between profiles of one deployment: the
// limits of a model at a provider are shared by every profile calling it,
// so two profiles with the same (base URL, model) must agree on
// limit_per_minute and tokens_per_minute. InvalidArgument naming the
// profile and the setting.
absl::Status CheckProfileLlmSettings(
    const std::map<std::string, Config>& profiles);

}  // namespace arxiv_digest
