// Bad input the fetcher must survive with a clear error and the rest of the
// feed processed: invalid UTF-8, items missing fields, broken items inside
// an otherwise good feed, and a 50 MB feed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "services/fetcher/logic/rss_parser.h"
#include "services/fetcher/logic/utf8_sanitizer.h"
#include "tests/services/fetcher/fetcher_test_util.h"

namespace arxiv_digest {
namespace {

using ::testing::HasSubstr;

const char kDay[] = "data/sample/2025-04-08/cs.CL+cs.CV+cs.MM+cs.LG+cs.SI.xml";

TEST(Utf8SanitizerTest, ReplacesMaximalSubparts) {
  struct Case {
    std::string in, out;
    int replaced;
  };
  const std::string R = "\xEF\xBF\xBD";
  std::vector<Case> cases = {
      {"plain ascii", "plain ascii", 0},
      {"G\xC3\xB6"
       "del \xE2\x82\xAC \xF0\x9F\x98\x80",
       "G\xC3\xB6"
       "del \xE2\x82\xAC \xF0\x9F\x98\x80",
       0},
      {"a\xFFz", "a" + R + "z", 1},
      {"cut \xE2\x82", "cut " + R, 1},         // truncated 3-byte
      {"\xC0\xAF", R + R, 2},                  // overlong '/'
      {"\xED\xA0\x80", R + R + R, 3},          // surrogate
      {"\xF4\x90\x80\x80", R + R + R + R, 4},  // > U+10FFFF
      {"\x80\x80x", R + R + "x", 2},           // stray continuations
      {"\xE2\x28\xA1", R + "(" + R, 2},
  };
  for (const Case& c : cases) {
    std::string s = c.in;
    EXPECT_EQ(SanitizeUtf8(s), c.replaced) << c.in;
    EXPECT_EQ(s, c.out) << c.in;
    EXPECT_TRUE(IsValidUtf8(s));
  }
}

TEST(FeedRobustnessTest, InvalidUtf8InTitleAbstractAuthorsIsReplaced) {
  std::string xml = testing::ReadRepoFile(
      "tests/fixtures/arxiv/rss/jmamath_distill__arxiv_cs_lg_truncated.xml");
  size_t item = xml.find("<item>");
  ASSERT_NE(item, std::string::npos);
  size_t title = xml.find("<title>", item) + 7;
  xml.insert(title, "\xFF\xFE");
  size_t creator = xml.find("<dc:creator>", item) + 12;
  xml.insert(creator, "M\xFCller, ");  // Latin-1 ü
  size_t abstract = xml.find("Abstract:", item) + 9;
  xml.insert(abstract, " \xC3");
  absl::StatusOr<Feed> feed = ParseRssFeed(xml);
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_EQ(feed->invalid_utf8, 4);
  const Paper& p = feed->items.front();
  EXPECT_EQ(p.title.rfind("\xEF\xBF\xBD\xEF\xBF\xBD", 0), 0u) << p.title;
  EXPECT_EQ(p.authors.front(), "M\xEF\xBF\xBDller");
  EXPECT_TRUE(IsValidUtf8(p.abstract));
  for (const Paper& q : feed->items) {
    EXPECT_TRUE(IsValidUtf8(q.title) && IsValidUtf8(q.abstract));
  }
}

// One item with broken markup and one without an id in the middle of a real
// day: both reported, every other item kept.
TEST(FeedRobustnessTest, BrokenItemsInsideARealDay) {
  std::string xml = testing::ReadRepoFile(kDay);
  absl::StatusOr<Feed> clean = ParseRssFeed(xml);
  ASSERT_TRUE(clean.ok());
  size_t n = clean->items.size();
  // Item 10: unclosed element -> the document is no longer well-formed.
  size_t at = 0;
  for (int i = 0; i < 10; ++i) at = xml.find("<item>", at + 1);
  xml.insert(xml.find("<title>", at) + 7, "<b>");
  // Item 20: no id anywhere.
  size_t at20 = at;
  for (int i = 0; i < 10; ++i) at20 = xml.find("<item>", at20 + 1);
  size_t end20 = xml.find("</item>", at20);
  std::string item20 = xml.substr(at20, end20 - at20);
  std::string stripped =
      "<item><title>No id here</title>"
      "<description>Abstract: nothing</description>";
  xml.replace(at20, end20 - at20, stripped);
  absl::StatusOr<Feed> feed = ParseRssFeed(xml);
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_THAT(feed->xml_error, HasSubstr("malformed feed XML"));
  EXPECT_EQ(feed->items.size(), n - 2);
  ASSERT_EQ(feed->item_errors.size(), 2u);
  EXPECT_THAT(feed->item_errors[0], HasSubstr("item 10: malformed XML"));
  EXPECT_THAT(feed->item_errors[1], HasSubstr("item 20: no arXiv id"));
  EXPECT_EQ(feed->date, "2025-04-08");
}

// A 50 MB feed made of the real day's items repeated: parsed completely.
// The time is printed for the report, not asserted.
TEST(FeedRobustnessTest, FiftyMegabyteFeedParsesEveryItem) {
  std::string day = testing::ReadRepoFile(kDay);
  size_t first = day.find("<item>");
  size_t last = day.rfind("</item>") + 7;
  ASSERT_NE(first, std::string::npos);
  std::string head = day.substr(0, first);
  std::string items = day.substr(first, last - first);
  std::string tail = day.substr(last);
  absl::StatusOr<Feed> one = ParseRssFeed(day);
  ASSERT_TRUE(one.ok());
  std::string big = head;
  size_t copies = 0;
  while (big.size() < (50u << 20)) {
    big += items;
    ++copies;
  }
  big += tail;
  auto start = std::chrono::steady_clock::now();
  absl::StatusOr<Feed> feed = ParseRssFeed(big);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_EQ(feed->items.size(), one->items.size() * copies);
  EXPECT_TRUE(feed->item_errors.empty());
  std::cout << "[ measure  ] 50 MB feed: " << big.size() << " bytes, "
            << feed->items.size() << " items parsed in " << seconds << " s\n";
}

}  // namespace
}  // namespace arxiv_digest
