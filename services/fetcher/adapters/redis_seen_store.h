// Delivered papers in Redis: one key arxiv:seen:<id> = version per paper
// with an expiry of seen_ttl_days; for a profile other than the default
// one arxiv:seen:<profile>:<id>, so each reader has its own memory (a paper
// delivered to one reader still reaches another that selects it). Per-paper
// keys (not one hash) so each entry ages out on its own; with Redis persistence
// (AOF/RDB) they survive restarts of Redis and of the fetcher.
#pragma once

#include <chrono>
#include <string>

#include "lib/redis/redis_client.h"
#include "services/fetcher/logic/fetch_ports.h"

namespace arxiv_digest {

class RedisSeenStore : public SeenStore {
 public:
  // `profile` empty or "default": the default reader's (unprefixed) keys.
  RedisSeenStore(RedisClient& redis, std::chrono::seconds ttl,
                 const std::string& profile = "");
  absl::StatusOr<std::map<std::string, int>> DeliveredVersions(
      const std::vector<std::string>& ids) override;
  // Keeps the highest version when a key already holds a higher one.
  absl::Status MarkDelivered(const std::vector<Paper>& papers) override;

 private:
  std::string Key(const std::string& arxiv_id) const;

  RedisClient& redis_;
  std::chrono::seconds ttl_;
  std::string scope_;  // "" or "<profile>:"
};

}  // namespace arxiv_digest
