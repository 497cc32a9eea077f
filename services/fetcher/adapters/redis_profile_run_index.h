// ProfileRunIndex in Redis: HSET keys::RunProfileRuns(<daily run>)
// <profile> <child run>, the same record the api's profile fan-out writes
// and checks (HSETNX), with the run TTL ([RETENTION] run_days) so it goes
// with the run even when the daily run itself is never published.
#pragma once

#include <chrono>
#include <string>

#include "lib/redis/redis_client.h"
#include "services/fetcher/logic/fetch_ports.h"

namespace arxiv_digest {

class RedisProfileRunIndex : public ProfileRunIndex {
 public:
  RedisProfileRunIndex(RedisClient& redis, std::chrono::seconds run_ttl);
  absl::Status RecordProfileRun(const std::string& daily_run_id,
                                const std::string& profile,
                                const std::string& child_run_id) override;

 private:
  RedisClient& redis_;
  std::chrono::seconds run_ttl_;
};

}  // namespace arxiv_digest
