#include "services/scorer/adapters/scorer_slots.h"

#include <chrono>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "lib/config/profiles.h"
#include "lib/prompt/cache_friendly_prompt.h"
#include "lib/redis/keys.h"
#include "lib/redis/rate_limiter.h"
#include "lib/text/redact.h"
#include "services/scorer/adapters/redis_score_cache.h"
#include "services/scorer/logic/lexical_scorer.h"

namespace arxiv_digest {
namespace {

// Everything of a profile that changes how its LLM calls are made or
// limited: profiles that agree on all of it share one client. The key and
// headers enter through the names of their variables (same name, same
// value), so no secret is kept in the map.
std::string CallSetupKey(const Config& c) {
  const SelectionConfig& s = c.selection;
  return absl::StrCat(NormalizedBaseUrl(c.llm.base_url), "|", s.api_key_env,
                      "|", s.extra_headers_env, "|", s.model, "|", s.max_tokens,
                      "|", s.json_mode, "|", s.send_temperature, "|",
                      s.limit_per_minute, "|", s.tokens_per_minute, "|",
                      s.abstract_batch_size, "|", s.llm_timeout_seconds, "|",
                      s.max_reply_bytes);
}

// FNV-1a, 64 bits, as 16 hex digits: stable across builds and replicas
// (std::hash is neither), enough to tell a deployment's providers apart.
std::string StableHash(const std::string& text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return absl::StrCat(absl::Hex(h, absl::kZeroPad16));
}

}  // namespace

ProfileLlms::ProfileLlms(RedisClient& redis, LlmClientFactory make_client)
    : redis_(redis), make_client_(std::move(make_client)) {}

LlmClient& ProfileLlms::For(const Config& config) {
  const SelectionConfig& sel = config.selection;
  Entry& entry = by_setup_[CallSetupKey(config)];
  if (entry.limited != nullptr) return *entry.limited;
  entry.client = make_client_(LlmOptionsFor(config), sel);
  // Provider limits are per (base URL, model) and shared by every replica
  // and slot.
  std::unique_ptr<RedisTokenBucket> rpm, tpm;
  const std::string limit_key = LlmLimitKey(config);
  if (sel.limit_per_minute > 0) {
    rpm = std::make_unique<RedisTokenBucket>(redis_, limit_key + ":requests",
                                             sel.limit_per_minute,
                                             std::chrono::minutes(1));
  }
  if (sel.tokens_per_minute > 0) {
    tpm = std::make_unique<RedisTokenBucket>(redis_, limit_key + ":tokens",
                                             sel.tokens_per_minute,
                                             std::chrono::minutes(1));
  }
  // Roughly 60 completion tokens per paper line of JSONL.
  const int expected_completion = 60 * sel.abstract_batch_size;
  entry.limited = std::make_unique<RateLimitedLlmClient>(
      *entry.client, std::move(rpm), std::move(tpm), expected_completion);
  return *entry.limited;
}

std::unique_ptr<ScoringContext> MakeContext(bool lexical, LlmClient* llm,
                                            RedisClient& redis, Config config) {
  auto context = std::make_unique<ScoringContext>();
  if (lexical) {
    context->backend =
        std::make_unique<LexicalScoringBackend>(config.prompts.topics);
  } else {
    context->backend = std::make_unique<LlmScoringBackend>(
        config.prompts, config.selection.model, config.selection.abstract_retry,
        *llm, config.selection.cache_friendly_prompt,
        config.selection.title_retry);
    if (config.selection.score_cache_ttl_days > 0) {
      context->cache = std::make_unique<RedisScoreCache>(
          redis, ProviderModelKey(config), PromptFingerprint(config.prompts),
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
    slot->llms = std::make_unique<ProfileLlms>(*slot->redis, shared.make_llm);
    redis = RedisClient::Connect(config.env.redis_url);
    if (!redis.ok()) return redis.status();
    slot->keepalive_redis = *std::move(redis);
  }
  ScorerWorkerOptions options = shared.options;
  if (config.selection.max_in_flight > 1) {
    options.consumer += "/" + std::to_string(index);
  }
  RedisClient* slot_redis = slot->redis.get();
  ProfileLlms* llms = slot->llms.get();
  bool lexical = shared.lexical;
  slot->worker = std::make_unique<ScorerWorker>(
      *slot->redis, *shared.profiles,
      // Each run's context calls its own profile's model (the config here
      // is the run's profile, with its topics override).
      [lexical, llms, slot_redis](Config c) {
        LlmClient* llm = llms != nullptr ? &llms->For(c) : nullptr;
        return MakeContext(lexical, llm, *slot_redis, std::move(c));
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

LlmClientFactory OpenAiClientFactory(LlmTransports& transports,
                                     LlmCallObserver observer,
                                     std::function<void()> on_retry) {
  return [&transports, observer = std::move(observer),
          on_retry = std::move(on_retry)](const OpenAiClientOptions& o,
                                          const SelectionConfig& selection) {
    return std::make_unique<OpenAiClient>(transports.For(selection), o,
                                          SystemClock(), observer, on_retry);
  };
}

std::string NormalizedBaseUrl(std::string base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  return base_url;
}

std::string ProviderModelKey(const Config& config) {
  const std::string base = NormalizedBaseUrl(config.llm.base_url);
  if (base == NormalizedBaseUrl(config.env.openai_base_url)) {
    return config.selection.model;
  }
  return absl::StrCat(config.selection.model, "@", StableHash(base));
}

std::string LlmLimitKey(const Config& config) {
  return keys::LlmLimit(ProviderModelKey(config));
}

OpenAiClientOptions LlmOptionsFor(const Config& config) {
  OpenAiClientOptions o;
  o.base_url = config.llm.base_url;
  o.api_key = config.llm.api_key;
  o.extra_headers = config.llm.extra_headers;
  if (!config.selection.base_url.empty()) {
    o.base_url_setting = "[SELECTION] base_url";
  }
  if (config.selection.api_key_env != "OPENAI_API_KEY") {
    o.api_key_setting = absl::StrCat("[SELECTION] api_key_env (",
                                     config.selection.api_key_env, ")");
  }
  o.request.model = config.selection.model;
  o.request.max_tokens = config.selection.max_tokens;
  o.request.json_mode = config.selection.json_mode;
  o.request.send_temperature = config.selection.send_temperature;
  return o;
}

absl::Status CheckProfileLlmSettings(
    const std::map<std::string, Config>& profiles) {
  // The first profile (in name order, "default" wins) naming a (base URL,
  // model) sets that pair's limits.
  std::map<std::pair<std::string, std::string>,
           std::pair<std::string, const SelectionConfig*>>
      first;
  auto check = [&](const std::string& name, const Config& c) -> absl::Status {
    const SelectionConfig& sel = c.selection;
    const std::string base = NormalizedBaseUrl(c.llm.base_url);
    auto [it, inserted] = first.emplace(std::make_pair(base, sel.model),
                                        std::make_pair(name, &sel));
    if (inserted) return absl::OkStatus();
    const auto& [owner, other] = it->second;
    const std::pair<const char*, bool> settings[] = {
        {"limit_per_minute", sel.limit_per_minute != other->limit_per_minute},
        {"tokens_per_minute",
         sel.tokens_per_minute != other->tokens_per_minute}};
    for (const auto& [setting, differs] : settings) {
      if (!differs) continue;
      return absl::InvalidArgumentError(absl::StrCat(
          "profile '", name, "': [SELECTION] ", setting,
          " differs from profile '", owner, "' for the same model '", sel.model,
          "' at the same base URL '", RedactUrlPassword(base),
          "' (a provider's limits of a model are shared by all profiles)"));
    }
    return absl::OkStatus();
  };
  if (auto d = profiles.find(kDefaultProfile); d != profiles.end()) {
    if (absl::Status s = check(d->first, d->second); !s.ok()) return s;
  }
  for (const auto& [name, c] : profiles) {
    if (name == kDefaultProfile) continue;
    if (absl::Status s = check(name, c); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace arxiv_digest
