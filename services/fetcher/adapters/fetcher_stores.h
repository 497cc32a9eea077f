// Everything the fetcher keeps in Redis, on one connection: conditional-GET
// validators, runs, delivered papers, feed dates and the fetch lock.
#pragma once

#include "lib/config/config.h"
#include "lib/redis/redis_client.h"
#include "lib/redis/redis_run_writer.h"
#include "services/fetcher/adapters/redis_feed_state.h"
#include "services/fetcher/adapters/redis_fetch_lock.h"
#include "services/fetcher/adapters/redis_seen_store.h"

namespace arxiv_digest {

struct FetcherStores {
  // `redis` must outlive the stores.
  FetcherStores(RedisClient& redis, const FetcherConfig& config,
                const RetentionConfig& retention = {});

  RedisValidatorStore validators;
  contract::RedisRunWriter writer;  // the one run writer (lib)
  RedisSeenStore seen;              // delivered papers, kept seen_ttl_days
  RedisFeedDateStore dates;
  RedisFetchLock lock;
};

}  // namespace arxiv_digest
