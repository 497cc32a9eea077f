#include "services/fetcher/adapters/redis_profile_run_index.h"

#include <algorithm>

#include "lib/redis/keys.h"

namespace arxiv_digest {

RedisProfileRunIndex::RedisProfileRunIndex(RedisClient& redis,
                                           std::chrono::seconds run_ttl)
    : redis_(redis), run_ttl_(std::max(run_ttl, std::chrono::seconds(1))) {}

absl::Status RedisProfileRunIndex::RecordProfileRun(
    const std::string& daily_run_id, const std::string& profile,
    const std::string& child_run_id) {
  const std::string key = keys::RunProfileRuns(daily_run_id);
  // A plain HSET, not the api's HSETNX: the fetcher writes the record
  // before the daily run is announced, so no fan-out can have claimed it.
  if (absl::Status s = redis_.HSet(key, {{profile, child_run_id}}); !s.ok()) {
    return s;
  }
  return redis_.Command({"EXPIRE", key, std::to_string(run_ttl_.count())})
      .status();
}

}  // namespace arxiv_digest
