// Delivered papers in Redis: one key arxiv:seen:<id> = version per paper
// with an expiry of seen_ttl_days. Per-paper keys (not one hash) so each
// entry ages out on its own; with Redis persistence (AOF/RDB) they survive
// restarts of Redis and of the fetcher.
#pragma once

#include <chrono>

#include "lib/redis/redis_client.h"
#include "services/fetcher/logic/fetch_ports.h"

namespace arxiv_digest {

class RedisSeenStore : public SeenStore {
 public:
  RedisSeenStore(RedisClient& redis, std::chrono::seconds ttl);
  absl::StatusOr<std::map<std::string, int>> DeliveredVersions(
      const std::vector<std::string>& ids) override;
  // Keeps the highest version when a key already holds a higher one.
  absl::Status MarkDelivered(const std::vector<Paper>& papers) override;

 private:
  RedisClient& redis_;
  std::chrono::seconds ttl_;
};

}  // namespace arxiv_digest
