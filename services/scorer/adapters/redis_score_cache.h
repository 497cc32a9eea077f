// ScoreCache in Redis: one string per (model, prompt fingerprint, paper
// version), keys::ScoreCacheEntry, holding the score JSON and expiring
// `ttl` after it was written. Every entry has its own TTL, so an old score
// disappears even while the cache keeps being written (one shared TTL on a
// hash was reset by every write). A lookup is one MGET, a store one EVAL
// that SETs every entry with EX: one round trip per batch either way.
// Entries of the old layout (a hash at keys::ScoreCache) are not read: they
// only cost one LLM call per paper, and the hash expires by its own TTL.
// Failures only cost a cache miss.
#pragma once

#include <chrono>
#include <string>

#include "lib/redis/redis_client.h"
#include "services/scorer/logic/scoring_backend.h"

namespace arxiv_digest {

class RedisScoreCache : public ScoreCache {
 public:
  RedisScoreCache(RedisClient& redis, const std::string& model,
                  const std::string& prompt_fingerprint,
                  std::chrono::seconds ttl);
  std::map<std::string, Score> Lookup(
      const std::vector<Paper>& papers) override;
  void Store(const std::vector<Paper>& papers,
             const std::vector<Score>& scores) override;

 private:
  std::string KeyFor(const Paper& paper) const;

  RedisClient& redis_;
  std::string model_;
  std::string fingerprint_;
  std::chrono::seconds ttl_;
};

}  // namespace arxiv_digest
