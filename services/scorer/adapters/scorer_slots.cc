#include "services/scorer/adapters/scorer_slots.h"

#include <chrono>

#include "lib/config/profiles.h"
#include "lib/prompt/cache_friendly_prompt.h"
#include "lib/redis/keys.h"
#include "lib/redis/rate_limiter.h"
#include "services/scorer/adapters/redis_score_cache.h"
#include "services/scorer/logic/lexical_scorer.h"

namespace arxiv_digest {

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
    const std::string limit_key = keys::LlmLimit(config.selection.model);
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
    redis = RedisClient::Connect(config.env.redis_url);
    if (!redis.ok()) return redis.status();
    slot->keepalive_redis = *std::move(redis);
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
      *shared.metrics, options, SystemClock(), slot->keepalive_redis.get());
  if (absl::Status s = slot->worker->Init(); !s.ok()) return s;
  return slot;
}

ScorerWorkerOptions WorkerOptionsFrom(const ScorerFlags& flags) {
  ScorerWorkerOptions options;
  options.consumer = flags.consumer;
  options.claim_idle = std::chrono::milliseconds(flags.claim_idle_ms);
  options.max_deliveries = flags.max_deliveries;
  options.batch_fill = std::chrono::milliseconds(flags.batch_fill_ms);
  return options;
}

OpenAiClientOptions LlmOptionsFor(const Config& config) {
  OpenAiClientOptions o;
  o.base_url = config.env.openai_base_url;
  o.api_key = config.env.openai_api_key;
  o.extra_headers = config.env.openai_extra_headers;
  o.request.model = config.selection.model;
  o.request.max_tokens = config.selection.max_tokens;
  o.request.json_mode = config.selection.json_mode;
  o.request.send_temperature = config.selection.send_temperature;
  return o;
}

}  // namespace arxiv_digest
