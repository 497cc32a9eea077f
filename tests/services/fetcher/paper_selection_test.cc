// SelectPapers: counting, announce-type and primary-category filtering and
// cross-feed de-duplication, on small hand-made feeds and on the bundled
// sample days (expected numbers computed independently from the XML).
#include "services/fetcher/logic/paper_selection.h"

#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/fetcher/fetcher_test_util.h"

namespace arxiv_digest {
namespace {

using ::arxiv_digest::testing::LoadSampleDay;
using ::testing::ElementsAre;

Paper Item(std::string id, std::string type, std::vector<std::string> cats) {
  Paper p;
  p.arxiv_id = std::move(id);
  p.title = "Title of " + p.arxiv_id;
  p.announce_type = std::move(type);
  p.categories = std::move(cats);
  return p;
}

FilteringConfig Filtering(bool force_primary) {
  FilteringConfig f;
  f.announce_types = {"new", "cross"};
  f.force_primary = force_primary;
  return f;
}

std::vector<std::string> Ids(const Selection& s) {
  std::vector<std::string> ids;
  for (const Paper& p : s.papers) ids.push_back(p.arxiv_id);
  return ids;
}

std::vector<FetchedFeed> TwoSmallFeeds() {
  FetchedFeed lg{"cs.LG", {}};
  lg.feed.date = "";  // first feed without a date: the next one provides it
  lg.feed.items = {
      Item("1", "new", {"cs.LG", "cs.AI"}),
      Item("2", "replace", {"cs.LG"}),         // wrong announce type
      Item("3", "cross", {"cs.AI", "cs.LG"}),  // primary elsewhere
      Item("4", "cross", {}),                  // no categories: passes
      Item("5", "new", {"cs.LG"}),
  };
  FetchedFeed clcv{"cs.CL+cs.CV", {}};
  clcv.feed.date = "2025-04-08";
  clcv.feed.items = {
      Item("5", "cross", {"cs.CL", "cs.LG"}),  // duplicate of feed 1's "5"
      Item("6", "new", {"cs.CV"}),             // second category of entry
      Item("7", "replace-cross", {"cs.CL"}),
      Item("3", "new", {"cs.CL"}),  // "3" was dropped in feed 1: kept here
  };
  return {lg, clcv};
}

TEST(PaperSelectionTest, CountsFiltersAndDeduplicates) {
  Selection s = SelectPapers(TwoSmallFeeds(), Filtering(true));
  EXPECT_EQ(s.total_items, 9);
  EXPECT_EQ(s.scanned_papers, 6);  // 1,4,5 + 5,6,3
  EXPECT_THAT(Ids(s), ElementsAre("1", "4", "5", "6", "3"));
  EXPECT_EQ(s.date, "2025-04-08");
  for (size_t i = 0; i < s.papers.size(); ++i) {
    EXPECT_EQ(s.papers[i].position, static_cast<int64_t>(i));
  }
  EXPECT_EQ(s.papers[2].feed, "cs.LG");  // first occurrence wins
  EXPECT_EQ(s.papers[2].announce_type, "new");
  EXPECT_EQ(s.papers[3].feed, "cs.CL+cs.CV");
  EXPECT_EQ(s.papers[4].feed, "cs.CL+cs.CV");
}

TEST(PaperSelectionTest, WithoutForcePrimaryKeepsCrossLists) {
  Selection s = SelectPapers(TwoSmallFeeds(), Filtering(false));
  EXPECT_EQ(s.total_items, 9);
  EXPECT_EQ(s.scanned_papers, 7);  // 1,3,4,5 + 5,6,3
  EXPECT_THAT(Ids(s), ElementsAre("1", "3", "4", "5", "6"));
  EXPECT_EQ(s.papers[1].feed, "cs.LG");
}

TEST(PaperSelectionTest, AnnounceTypesComeFromConfig) {
  FilteringConfig f = Filtering(true);
  f.announce_types = {"replace", "replace-cross"};
  Selection s = SelectPapers(TwoSmallFeeds(), f);
  EXPECT_THAT(Ids(s), ElementsAre("2", "7"));
  EXPECT_EQ(s.scanned_papers, 2);
}

TEST(PaperSelectionTest, EntryWithSpacesAroundPlus) {
  FetchedFeed feed{"cs.CL + cs.CV", {}};
  feed.feed.items = {Item("1", "new", {"cs.CV"})};
  Selection s = SelectPapers({feed}, Filtering(true));
  EXPECT_THAT(Ids(s), ElementsAre("1"));
  EXPECT_EQ(s.papers[0].feed, "cs.CL + cs.CV");
}

TEST(PaperSelectionTest, NoFeedsOrEmptyFeeds) {
  Selection none = SelectPapers({}, Filtering(true));
  EXPECT_EQ(none.total_items, 0);
  EXPECT_TRUE(none.papers.empty());
  EXPECT_EQ(none.date, "");

  FetchedFeed weekend{"cs", {}};
  weekend.feed.date = "2026-03-29";
  Selection empty = SelectPapers({weekend}, Filtering(true));
  EXPECT_EQ(empty.total_items, 0);
  EXPECT_EQ(empty.scanned_papers, 0);
  EXPECT_EQ(empty.date, "2026-03-29");
}

TEST(PaperSelectionTest, DateIsTheFirstNonEmptyFeedDate) {
  FetchedFeed a{"cs.LG", {}}, b{"cs.CL", {}}, c{"cs.CV", {}};
  b.feed.date = "2025-04-08";
  c.feed.date = "2025-04-09";  // a feed cached across midnight
  EXPECT_EQ(SelectPapers({a, b, c}, Filtering(true)).date, "2025-04-08");
}

TEST(PaperSelectionTest, SampleDay20250408) {
  std::vector<FetchedFeed> feeds = LoadSampleDay("2025-04-08");
  ASSERT_EQ(feeds.size(), 2u);
  Selection s = SelectPapers(feeds, Filtering(true));
  EXPECT_EQ(s.total_items, 894);  // 871 + 23
  // new+cross is 551; 44 have a primary category outside their feed.
  EXPECT_EQ(s.scanned_papers, 507);
  // 2504.05009 is in both feeds (no <category> in either).
  ASSERT_EQ(s.papers.size(), 506u);
  EXPECT_EQ(s.date, "2025-04-08");
  EXPECT_EQ(s.papers.front().arxiv_id, "2504.03650");
  EXPECT_EQ(s.papers.back().arxiv_id, "2504.04394");
  EXPECT_EQ(s.papers.back().feed, "cs.SD+eess.AS");
  EXPECT_EQ(s.papers.back().position, 505);

  const Paper& dup = s.papers[477];
  EXPECT_EQ(dup.arxiv_id, "2504.05009");
  EXPECT_EQ(dup.feed, "cs.CL+cs.CV+cs.MM+cs.LG+cs.SI");
  EXPECT_EQ(dup.announce_type, "cross");  // as in the first feed

  std::set<std::string> ids;
  for (const Paper& p : s.papers) {
    EXPECT_TRUE(ids.insert(p.arxiv_id).second) << p.arxiv_id;
    EXPECT_TRUE(p.announce_type == "new" || p.announce_type == "cross");
  }
  // A cs.CL paper cross-listed to cs.SD: kept once, from the CL feed.
  EXPECT_TRUE(ids.contains("2504.04060"));
}

TEST(PaperSelectionTest, SampleDay20250408WithoutForcePrimary) {
  Selection s = SelectPapers(LoadSampleDay("2025-04-08"), Filtering(false));
  EXPECT_EQ(s.total_items, 894);
  EXPECT_EQ(s.scanned_papers, 551);
  EXPECT_EQ(s.papers.size(), 549u);  // 2504.05009 and 2504.04060 twice
}

TEST(PaperSelectionTest, SampleDay20250408NewOnlyAndAllTypes) {
  FilteringConfig f = Filtering(true);
  f.announce_types = {"new"};
  Selection new_only = SelectPapers(LoadSampleDay("2025-04-08"), f);
  EXPECT_EQ(new_only.scanned_papers, 408);
  EXPECT_EQ(new_only.papers.size(), 408u);

  f.announce_types = {"new", "cross", "replace", "replace-cross"};
  f.force_primary = false;
  Selection all = SelectPapers(LoadSampleDay("2025-04-08"), f);
  EXPECT_EQ(all.scanned_papers, 894);
  EXPECT_EQ(all.papers.size(), 888u);
}

TEST(PaperSelectionTest, SampleDay20250415) {
  // This day has no <category> elements (its harvester list has none), so
  // force_primary cannot drop anything.
  Selection s = SelectPapers(LoadSampleDay("2025-04-15"), Filtering(true));
  EXPECT_EQ(s.total_items, 945);  // 922 + 23
  EXPECT_EQ(s.scanned_papers, 582);
  EXPECT_EQ(s.papers.size(), 574u);
  EXPECT_EQ(s.date, "2025-04-15");
  EXPECT_EQ(s.papers.front().arxiv_id, "2504.08772");
}

}  // namespace
}  // namespace arxiv_digest
