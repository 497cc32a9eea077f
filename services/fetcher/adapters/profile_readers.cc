#include "services/fetcher/adapters/profile_readers.h"

#include <chrono>

#include "lib/config/profiles.h"
#include "services/fetcher/logic/profile_feeds.h"

namespace arxiv_digest {

ProfileReaders::ProfileReaders(RedisClient& redis,
                               const std::map<std::string, Config>& profiles,
                               const RetentionConfig& retention)
    : profiles_(profiles),
      index_(redis, std::chrono::hours(24) * retention.run_days) {
  for (const auto& [name, config] : profiles) {
    if (name == kDefaultProfile) continue;
    seen_.push_back(std::make_unique<RedisSeenStore>(
        redis, std::chrono::hours(24) * config.fetcher.seen_ttl_days, name));
    readers_.push_back(
        ProfileReader{name, config.filtering, seen_.back().get()});
  }
}

void ProfileReaders::Serve(FetchCycle& cycle) {
  if (readers_.empty()) return;
  cycle.ServeProfiles(readers_, index_, &RandomProfileRunId);
}

void ProfileReaders::Serve(BackfillCycle& backfills) {
  if (readers_.empty()) return;
  backfills.ServeProfiles(readers_, index_, &RandomProfileRunId);
}

std::vector<std::string> ProfileReaders::AllFeedEntries() const {
  std::vector<const FilteringConfig*> all;
  if (auto d = profiles_.find(kDefaultProfile); d != profiles_.end()) {
    all.push_back(&d->second.filtering);
  }
  for (const auto& [name, config] : profiles_) {
    if (name != kDefaultProfile) all.push_back(&config.filtering);
  }
  return UnionFeedEntries(all);
}

}  // namespace arxiv_digest
