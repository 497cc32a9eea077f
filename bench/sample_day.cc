#include "bench/sample_day.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/fetcher/logic/rss_parser.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest::bench {

Selection SelectSampleDay(const std::string& day, const Config& config) {
  std::vector<FetchedFeed> feeds;
  for (const std::string& category : config.filtering.arxiv_categories) {
    const std::string path = absl::StrCat(
        ARXIV_DIGEST_SOURCE_DIR, "/data/sample/", day, "/", category, ".xml");
    absl::StatusOr<Feed> feed = ParseRssFeed(testing::ReadFileOrEmpty(path));
    if (!feed.ok()) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(),
                   std::string(feed.status().message()).c_str());
      std::exit(1);
    }
    feeds.push_back({category, *std::move(feed)});
  }
  return SelectPapers(feeds, config.filtering);
}

}  // namespace arxiv_digest::bench
