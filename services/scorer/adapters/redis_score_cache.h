// ScoreCache in Redis: one hash per (model, prompt fingerprint), fields
// "<arxiv id>v<version>" → score JSON, expiring after the configured days
// (refreshed on every write). Failures only cost a cache miss.
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
  RedisClient& redis_;
  std::string key_;
  std::chrono::seconds ttl_;
};

}  // namespace arxiv_digest
