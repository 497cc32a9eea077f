#include "services/fetcher/adapters/fetcher_stores.h"

#include <chrono>

namespace arxiv_digest {

FetcherStores::FetcherStores(RedisClient& redis, const FetcherConfig& config,
                             const RetentionConfig& retention)
    : validators(redis),
      writer(redis, SystemClock(), std::chrono::hours(24) * retention.run_days),
      seen(redis, std::chrono::hours(24) * config.seen_ttl_days),
      dates(redis),
      lock(redis) {}

}  // namespace arxiv_digest
