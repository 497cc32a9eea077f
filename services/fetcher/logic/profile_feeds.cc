#include "services/fetcher/logic/profile_feeds.h"

#include <set>

#include "absl/strings/ascii.h"

namespace arxiv_digest {

std::string FeedEntryKey(std::string_view entry) {
  std::string key;
  key.reserve(entry.size());
  for (char c : entry) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) key.push_back(c);
  }
  return key;
}

std::vector<std::string> UnionFeedEntries(
    const std::vector<const FilteringConfig*>& profiles) {
  std::vector<std::string> entries;
  std::set<std::string> keys;
  bool first = true;
  for (const FilteringConfig* filtering : profiles) {
    if (filtering == nullptr) continue;
    for (const std::string& entry : filtering->arxiv_categories) {
      std::string key = FeedEntryKey(entry);
      if (!keys.insert(key).second) continue;
      entries.push_back(first ? entry : key);
    }
    first = false;
  }
  return entries;
}

std::vector<FetchedFeed> FeedsOfProfile(const std::vector<FetchedFeed>& fetched,
                                        const FilteringConfig& filtering) {
  std::vector<FetchedFeed> feeds;
  std::set<std::string> taken;
  for (const std::string& entry : filtering.arxiv_categories) {
    const std::string key = FeedEntryKey(entry);
    if (!taken.insert(key).second) continue;
    for (const FetchedFeed& f : fetched) {
      if (FeedEntryKey(f.category) != key) continue;
      feeds.push_back(FetchedFeed{entry, f.feed});
      break;
    }
  }
  return feeds;
}

}  // namespace arxiv_digest
