// The scorer's in-flight slots: [SELECTION] max_in_flight independent
// workers (thread + Redis connection + consumer name each), so replicas x
// slots LLM calls are in flight.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "lib/redis/redis_client.h"
#include "services/scorer/adapters/openai_client.h"
#include "services/scorer/adapters/rate_limited_llm_client.h"
#include "services/scorer/adapters/scorer_metrics.h"
#include "services/scorer/adapters/scorer_worker.h"
#include "services/scorer/logic/scorer_flags.h"
#include "services/scorer/logic/scoring_backend.h"
#include "services/scorer/logic/scoring_context.h"

namespace arxiv_digest {

// Everything one in-flight slot owns; hiredis contexts are per thread.
struct Slot {
  std::unique_ptr<RedisClient> redis;
  // Renews the entries of an LLM call in flight (PendingHeartbeat); null
  // for the lexical backend, whose batches take milliseconds.
  std::unique_ptr<RedisClient> keepalive_redis;
  std::unique_ptr<RateLimitedLlmClient> limited_llm;
  std::unique_ptr<ScorerWorker> worker;
};

// What every slot shares.
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
                                            RedisClient& redis, Config config);

// Connects slot `index` to Redis, puts the provider's shared limits in
// front of the LLM and creates the consumer group if needed.
absl::StatusOr<std::unique_ptr<Slot>> MakeSlot(const Shared& shared, int index);

ScorerWorkerOptions WorkerOptionsFrom(const ScorerFlags& flags);

// The LLM client's options from the default profile and the environment.
OpenAiClientOptions LlmOptionsFor(const Config& config);

}  // namespace arxiv_digest
