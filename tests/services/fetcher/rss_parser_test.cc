// ParseRssFeed on the real rss.arxiv.org responses in tests/fixtures and on
// broken inputs the fetcher must survive (truncated bodies, HTML error
// pages, the retired RDF format).
#include "services/fetcher/logic/rss_parser.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/fetcher/fetcher_test_util.h"

namespace arxiv_digest {
namespace {

using ::arxiv_digest::testing::ReadRssFixture;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kLg[] = "jmamath_distill__arxiv_cs_lg_truncated.xml";
constexpr char kCl[] = "jmamath_distill__arxiv_cs_cl_truncated.xml";
constexpr char kAi[] = "jmamath_distill__arxiv_cs_ai_truncated.xml";
constexpr char kWeekend[] =
    "xlr-aex_albatros__arxiv_cs_empty_weekend_2026-03-29.xml";
constexpr char kRdf[] = "joetait_arXivHaiku__math_2012-09-12.xml";

// absl::string_view is not std::string_view in Debian's Abseil, and gmock's
// string matchers only accept the std types.
std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

// Wraps items in the channel header rss.arxiv.org serves.
std::string FeedWithItems(const std::string& items) {
  return R"(<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <channel>
    <title>math updates on arXiv.org</title>
    <pubDate>Tue, 08 Apr 2025 00:00:00 -0400</pubDate>
)" + items +
         R"(
  </channel>
</rss>)";
}

TEST(RssParserTest, ParsesCurrentFormatChannelHeader) {
  absl::StatusOr<Feed> feed = ParseRssFeed(ReadRssFixture(kLg));
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_EQ(feed->title, "cs.LG updates on arXiv.org");
  EXPECT_EQ(feed->pub_date_raw, "Mon, 27 Apr 2026 00:00:00 -0400");
  EXPECT_EQ(feed->date, "2026-04-27");
  EXPECT_THAT(feed->skip_days, ElementsAre("Saturday", "Sunday"));
  EXPECT_TRUE(feed->item_errors.empty());
}

TEST(RssParserTest, ParsesCurrentFormatItems) {
  absl::StatusOr<Feed> feed = ParseRssFeed(ReadRssFixture(kLg));
  ASSERT_TRUE(feed.ok()) << feed.status();
  ASSERT_EQ(feed->items.size(), 3u);
  const Paper& first = feed->items[0];
  EXPECT_EQ(first.arxiv_id, "2604.21952");
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(first.title,
            "Focus Session: Hardware and Software Techniques for "
            "Accelerating Multimodal Foundation Models");
  EXPECT_THAT(first.authors,
              ElementsAre("Muhammad Shafique", "Abdul Basit",
                          "Muhammad Abdullah Hanif", "Alberto Marchisio",
                          "Rachmad Vidya Wicaksana Putra", "Minghao Shao"));
  EXPECT_EQ(first.announce_type, "new");
  EXPECT_THAT(first.categories,
              ElementsAre("cs.LG", "cs.AI", "cs.AR", "cs.NE", "cs.RO"));
  // The "arXiv:... Announce Type: new \nAbstract: " header is gone and the
  // XML entity "&amp;" is decoded once.
  EXPECT_THAT(first.abstract,
              StartsWith("This work presents a multi-layered methodology"));
  EXPECT_THAT(first.abstract, HasSubstr("visual resolution & stride"));
  EXPECT_THAT(first.abstract,
              ::testing::EndsWith("toward energy-efficient spiking-MFMs."));
  // Selection fills these; the parser must leave the defaults.
  EXPECT_EQ(first.feed, "");
  EXPECT_EQ(first.position, 0);

  EXPECT_EQ(feed->items[1].arxiv_id, "2604.21953");
  EXPECT_EQ(feed->items[2].arxiv_id, "2604.21956");
  EXPECT_THAT(feed->items[2].categories, ElementsAre("cs.LG"));
}

TEST(RssParserTest, AuthorListWithDoubleSpaceAndSingleName) {
  absl::StatusOr<Feed> feed = ParseRssFeed(ReadRssFixture(kCl));
  ASSERT_TRUE(feed.ok()) << feed.status();
  ASSERT_EQ(feed->items.size(), 3u);
  // Real data: "Ratna Kandala,  Deepti" (two spaces, mononym).
  EXPECT_THAT(feed->items[0].authors,
              ElementsAre("Anamta Khan", "Ratna Kandala", "Deepti",
                          "Sheza Munir", "Joyojeet Pal"));
}

TEST(RssParserTest, ParsesAllTruncatedFeedsWithoutItemErrors) {
  for (const char* name : {kLg, kCl, kAi}) {
    absl::StatusOr<Feed> feed = ParseRssFeed(ReadRssFixture(name));
    ASSERT_TRUE(feed.ok()) << name << ": " << feed.status();
    EXPECT_EQ(feed->items.size(), 3u) << name;
    EXPECT_TRUE(feed->item_errors.empty()) << name;
    for (const Paper& paper : feed->items) {
      EXPECT_THAT(paper.arxiv_id, StartsWith("2604.")) << name;
      EXPECT_FALSE(paper.title.empty()) << name;
      EXPECT_FALSE(paper.abstract.empty()) << name;
      EXPECT_THAT(paper.abstract, ::testing::Not(HasSubstr("Announce Type")));
      EXPECT_THAT(paper.abstract, ::testing::Not(HasSubstr("\n")));
      EXPECT_FALSE(paper.authors.empty()) << name;
    }
  }
  absl::StatusOr<Feed> ai = ParseRssFeed(ReadRssFixture(kAi));
  ASSERT_TRUE(ai.ok());
  EXPECT_EQ(ai->items[2].title,
            "MolClaw: An Autonomous Agent with Hierarchical Skills for Drug "
            "Molecule Evaluation, Screening, and Optimization");
}

TEST(RssParserTest, EmptyWeekendFeedIsNotAnError) {
  absl::StatusOr<Feed> feed = ParseRssFeed(ReadRssFixture(kWeekend));
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_TRUE(feed->items.empty());
  EXPECT_TRUE(feed->item_errors.empty());
  EXPECT_EQ(feed->title, "cs updates on arXiv.org");
  EXPECT_EQ(feed->date, "2026-03-29");
  EXPECT_THAT(feed->skip_days, ElementsAre("Saturday", "Sunday"));
}

TEST(RssParserTest, RdfFeedIsUnsupported) {
  absl::StatusOr<Feed> feed = ParseRssFeed(ReadRssFixture(kRdf));
  ASSERT_FALSE(feed.ok());
  EXPECT_EQ(feed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(feed.status()), HasSubstr("unsupported feed format"));
  EXPECT_THAT(Message(feed.status()), HasSubstr("RDF"));
  EXPECT_THAT(Message(feed.status()), HasSubstr("<rdf:RDF>"));
}

// A feed cut in transfer: before its first complete item it is an error
// (nothing trustworthy), after it the complete items are recovered and the
// feed is flagged incomplete (Feed::xml_error) with the cut item reported.
TEST(RssParserTest, FeedCutInHalfIsMalformedOrRecovered) {
  for (const char* name : {kLg, kCl, kAi, kWeekend}) {
    std::string xml = ReadRssFixture(name);
    ASSERT_GT(xml.size(), 100u);
    std::string cut = xml.substr(0, xml.size() / 2);
    absl::StatusOr<Feed> feed = ParseRssFeed(cut);
    if (cut.find("</item>") == std::string::npos) {
      ASSERT_FALSE(feed.ok()) << name;
      EXPECT_EQ(feed.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(Message(feed.status()), StartsWith("malformed feed XML: "))
          << name;
      EXPECT_THAT(Message(feed.status()), HasSubstr(" at offset ")) << name;
      continue;
    }
    ASSERT_TRUE(feed.ok()) << name << ": " << feed.status();
    EXPECT_THAT(feed->xml_error, StartsWith("malformed feed XML: ")) << name;
    EXPECT_FALSE(feed->items.empty()) << name;
    ASSERT_FALSE(feed->item_errors.empty()) << name;
    EXPECT_THAT(feed->item_errors.back(), HasSubstr("truncated")) << name;
  }
}

TEST(RssParserTest, MalformedXmlReportsPugixmlErrorAndOffset) {
  absl::StatusOr<Feed> feed =
      ParseRssFeed("<rss version=\"2.0\"><channel></chanel></rss>");
  ASSERT_FALSE(feed.ok());
  EXPECT_EQ(Message(feed.status()),
            "malformed feed XML: Start-end tags mismatch at offset 30");
}

TEST(RssParserTest, EmptyBodyIsMalformed) {
  absl::StatusOr<Feed> feed = ParseRssFeed("");
  ASSERT_FALSE(feed.ok());
  EXPECT_THAT(Message(feed.status()), StartsWith("malformed feed XML: "));
}

TEST(RssParserTest, WellFormedHtmlPageIsUnsupported) {
  absl::StatusOr<Feed> feed = ParseRssFeed(
      "<html><head><title>503 Service Unavailable</title></head>"
      "<body><h1>Service Unavailable</h1></body></html>");
  ASSERT_FALSE(feed.ok());
  EXPECT_EQ(feed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(feed.status()),
            "unsupported feed format: root element <html>");
}

TEST(RssParserTest, RealWorldHtmlPageIsUnsupportedNotMalformed) {
  // Typical error pages are not XML (void <meta>, doctype); the operator
  // should still be told it was HTML.
  absl::StatusOr<Feed> feed = ParseRssFeed(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>Error</title></head><body><p>rate limited<br></body></html>");
  ASSERT_FALSE(feed.ok());
  EXPECT_EQ(Message(feed.status()),
            "unsupported feed format: root element <html>");
}

TEST(RssParserTest, RssWithoutChannelIsUnsupported) {
  absl::StatusOr<Feed> feed = ParseRssFeed("<rss version=\"2.0\"/>");
  ASSERT_FALSE(feed.ok());
  EXPECT_THAT(Message(feed.status()), HasSubstr("without <channel>"));
}

TEST(RssParserTest, OldStyleIdFromGuidAndLink) {
  absl::StatusOr<Feed> feed = ParseRssFeed(FeedWithItems(R"(
    <item>
      <title>Old style from the description</title>
      <link>https://arxiv.org/abs/math/0601001</link>
      <description>arXiv:math/0601001v3 Announce Type: replace
Abstract: First.</description>
      <arxiv:announce_type>replace</arxiv:announce_type>
      <dc:creator>A. Author</dc:creator>
    </item>
    <item>
      <title>Old style from the guid</title>
      <description>No header here.</description>
      <guid isPermaLink="false">oai:arXiv.org:hep-th/9901001v2</guid>
      <dc:creator>B. Author</dc:creator>
    </item>
    <item>
      <title>Old style from the link only</title>
      <link>https://arxiv.org/abs/math.AG/0601002</link>
      <description>Plain.</description>
    </item>)"));
  ASSERT_TRUE(feed.ok()) << feed.status();
  ASSERT_EQ(feed->items.size(), 3u);
  EXPECT_EQ(feed->items[0].arxiv_id, "math/0601001");
  EXPECT_EQ(feed->items[0].version, 3);
  EXPECT_EQ(feed->items[0].abstract, "First.");
  EXPECT_EQ(feed->items[1].arxiv_id, "hep-th/9901001");
  EXPECT_EQ(feed->items[1].version, 2);
  EXPECT_EQ(feed->items[1].abstract, "No header here.");
  EXPECT_EQ(feed->items[1].announce_type, "");
  EXPECT_EQ(feed->items[2].arxiv_id, "math.AG/0601002");
  EXPECT_EQ(feed->items[2].version, 1);  // unknown -> 1
  EXPECT_TRUE(feed->items[2].authors.empty());
}

TEST(RssParserTest, AnnounceTypeFallsBackToDescription) {
  absl::StatusOr<Feed> feed = ParseRssFeed(FeedWithItems(R"(
    <item>
      <title>No arxiv:announce_type element</title>
      <description>arXiv:2504.00001v2 Announce Type: replace-cross 
Abstract: Text.</description>
    </item>
    <item>
      <title>Element wins over description</title>
      <description>arXiv:2504.00002v1 Announce Type: new 
Abstract: Text.</description>
      <arxiv:announce_type>cross</arxiv:announce_type>
    </item>)"));
  ASSERT_TRUE(feed.ok()) << feed.status();
  ASSERT_EQ(feed->items.size(), 2u);
  EXPECT_EQ(feed->items[0].announce_type, "replace-cross");
  EXPECT_EQ(feed->items[0].version, 2);
  EXPECT_EQ(feed->items[1].announce_type, "cross");
}

TEST(RssParserTest, BadItemsAreReportedAndTheRestParsed) {
  absl::StatusOr<Feed> feed = ParseRssFeed(FeedWithItems(R"(
    <item>
      <title>Has no id anywhere</title>
      <description>Just text.</description>
      <link>https://example.org/page</link>
    </item>
    <item>
      <title>   </title>
      <description>arXiv:2504.00003v1 Announce Type: new 
Abstract: Untitled.</description>
    </item>
    <item>
      <title>Good one</title>
      <description>arXiv:2504.00004v1 Announce Type: new 
Abstract: Fine.</description>
    </item>)"));
  ASSERT_TRUE(feed.ok()) << feed.status();
  ASSERT_EQ(feed->items.size(), 1u);
  EXPECT_EQ(feed->items[0].arxiv_id, "2504.00004");
  ASSERT_EQ(feed->item_errors.size(), 2u);
  EXPECT_THAT(feed->item_errors[0], StartsWith("item 1: no arXiv id"));
  EXPECT_THAT(feed->item_errors[0], HasSubstr("Has no id anywhere"));
  EXPECT_EQ(feed->item_errors[1], "item 2: arXiv:2504.00003 has no title");
}

TEST(RssParserTest, LatexEscapesAndCdataKeptVerbatim) {
  absl::StatusOr<Feed> feed = ParseRssFeed(FeedWithItems(R"(
    <item>
      <title><![CDATA[Bounds for $0<s<1$]]> and more</title>
      <description>arXiv:2504.00005v1 Announce Type: new 
Abstract: \newcommand{\R}{\mathbb{R}}
  We study $x&lt;y$ in \R.</description>
      <dc:creator>Yama\c{c} Kaya,  Essential AI,  :, M\"uller</dc:creator>
    </item>)"));
  ASSERT_TRUE(feed.ok()) << feed.status();
  ASSERT_EQ(feed->items.size(), 1u);
  const Paper& p = feed->items[0];
  EXPECT_EQ(p.title, "Bounds for $0<s<1$ and more");
  EXPECT_EQ(p.abstract,
            "\\newcommand{\\R}{\\mathbb{R}}   We study $x<y$ in \\R.");
  EXPECT_THAT(p.authors, ElementsAre("Yama\\c{c} Kaya", "Essential AI", ":",
                                     "M\\\"uller"));
}

TEST(RssParserTest, ChannelWithoutPubDateHasEmptyDate) {
  absl::StatusOr<Feed> feed = ParseRssFeed(
      "<rss version=\"2.0\"><channel><title>t</title></channel></rss>");
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_EQ(feed->pub_date_raw, "");
  EXPECT_EQ(feed->date, "");
  EXPECT_TRUE(feed->skip_days.empty());
}

}  // namespace
}  // namespace arxiv_digest
