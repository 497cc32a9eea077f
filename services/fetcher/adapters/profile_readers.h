// Wiring of "one fetch, every reader": the non-default profiles as
// FetchCycle readers, each with its own Redis seen store, and the Redis
// record of their child runs.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lib/config/config.h"
#include "lib/redis/redis_client.h"
#include "services/fetcher/adapters/redis_profile_run_index.h"
#include "services/fetcher/adapters/redis_seen_store.h"
#include "services/fetcher/logic/backfill_cycle.h"
#include "services/fetcher/logic/fetch_cycle.h"

namespace arxiv_digest {

class ProfileReaders {
 public:
  // `redis` and `profiles` must outlive this object.
  ProfileReaders(RedisClient& redis,
                 const std::map<std::string, Config>& profiles,
                 const RetentionConfig& retention);

  // Lets `cycle` serve every non-default profile (nothing without any).
  void Serve(FetchCycle& cycle);
  // The same for date-range backfills (the missed-day catch-up, --from /
  // --until, triggers for a past date): each profile gets its child run.
  void Serve(BackfillCycle& backfills);
  // Every feed entry a fetch covers: the union of all profiles' entries.
  std::vector<std::string> AllFeedEntries() const;

 private:
  const std::map<std::string, Config>& profiles_;
  std::vector<std::unique_ptr<RedisSeenStore>> seen_;
  std::vector<ProfileReader> readers_;
  RedisProfileRunIndex index_;
};

}  // namespace arxiv_digest
