// Fixture access shared by the fetcher tests (header-only, test code only).
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/fetcher/logic/paper_selection.h"
#include "services/fetcher/logic/rss_parser.h"

namespace arxiv_digest::testing {

// Reads a file below the repository root; fails the test when it is missing
// so an empty string is never mistaken for an empty feed.
inline std::string ReadRepoFile(const std::string& relative) {
  std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) + "/" + relative,
                   std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << relative;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline std::string ReadRssFixture(const std::string& name) {
  return ReadRepoFile("tests/fixtures/arxiv/rss/" + name);
}

// The category entries of the bundled sample days, in the order a config
// would list them (the order the feeds were captured in).
inline const std::vector<std::string>& SampleDayCategories() {
  static const std::vector<std::string> kCategories = {
      "cs.CL+cs.CV+cs.MM+cs.LG+cs.SI", "cs.SD+eess.AS"};
  return kCategories;
}

// Parses every feed of data/sample/<date>/; a parse error fails the test.
inline std::vector<FetchedFeed> LoadSampleDay(const std::string& date) {
  std::vector<FetchedFeed> feeds;
  for (const std::string& category : SampleDayCategories()) {
    std::string xml =
        ReadRepoFile("data/sample/" + date + "/" + category + ".xml");
    absl::StatusOr<Feed> feed = ParseRssFeed(xml);
    EXPECT_TRUE(feed.ok()) << category << ": " << feed.status();
    if (feed.ok()) feeds.push_back(FetchedFeed{category, *std::move(feed)});
  }
  return feeds;
}

}  // namespace arxiv_digest::testing
