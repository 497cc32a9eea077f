// RunDateIndex over Redis: the fetcher's own sorted set of dates with a
// recorded run (keys::FetchedDates) plus the default profile's digest index
// (dates with a published digest, written by the publisher).
#pragma once

#include <set>
#include <string>

#include "lib/redis/redis_client.h"
#include "services/fetcher/logic/missed_days.h"

namespace arxiv_digest {

class RedisRunDateIndex : public RunDateIndex {
 public:
  // `redis` must outlive this; `retention_days` bounds the sorted set.
  RedisRunDateIndex(RedisClient& redis, int retention_days = 400)
      : redis_(redis), retention_days_(retention_days) {}

  absl::StatusOr<std::set<std::string>> KnownDates(const Date& from,
                                                   const Date& until) override;
  absl::Status RecordRunDate(const Date& date) override;

 private:
  RedisClient& redis_;
  int retention_days_;
};

}  // namespace arxiv_digest
