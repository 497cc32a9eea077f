// The text helpers behind ParseRssFeed: id recognition, RFC 822 dates,
// whitespace/HTML clean-up and author splitting.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/fetcher/logic/rss_parser.h"

namespace arxiv_digest {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(DateFromRfc822Test, ArxivChannelDates) {
  EXPECT_EQ(DateFromRfc822("Tue, 08 Apr 2025 00:00:00 -0400"), "2025-04-08");
  EXPECT_EQ(DateFromRfc822("Sun, 29 Mar 2026 00:00:00 -0400"), "2026-03-29");
  // The date as written: 23:30 -0400 is the next day in UTC, but the feed
  // announces the day it names.
  EXPECT_EQ(DateFromRfc822("Mon, 31 Dec 2029 23:30:00 -0400"), "2029-12-31");
}

TEST(DateFromRfc822Test, VariantsWithoutWeekdayOrPadding) {
  EXPECT_EQ(DateFromRfc822("8 Apr 2025 00:00:00 GMT"), "2025-04-08");
  EXPECT_EQ(DateFromRfc822("  Tue,  8 apr 2025 04:09:46 +0000 "), "2025-04-08");
}

TEST(DateFromRfc822Test, UnparsableGivesEmpty) {
  EXPECT_EQ(DateFromRfc822(""), "");
  EXPECT_EQ(DateFromRfc822("2025-04-08"), "");
  EXPECT_EQ(DateFromRfc822("Tue, 08 Avr 2025 00:00:00 -0400"), "");
  EXPECT_EQ(DateFromRfc822("Tue, 31 Apr 2025 00:00:00 -0400"), "");
  EXPECT_EQ(DateFromRfc822("Tue, 08 Apr 25 00:00:00 -0400"), "");
  EXPECT_EQ(DateFromRfc822("Tue, 0x Apr 2025"), "");
}

TEST(FindArxivIdTest, NewStyle) {
  ArxivIdMatch id = FindArxivId("arXiv:2504.03650v1 Announce Type: new");
  EXPECT_EQ(id.id, "2504.03650");
  EXPECT_EQ(id.version, 1);
  id = FindArxivId("oai:arXiv.org:2504.14960v12");
  EXPECT_EQ(id.id, "2504.14960");
  EXPECT_EQ(id.version, 12);
  id = FindArxivId("https://arxiv.org/abs/0704.0001");  // 4-digit number
  EXPECT_EQ(id.id, "0704.0001");
  EXPECT_EQ(id.version, 0);
}

TEST(FindArxivIdTest, OldStyle) {
  ArxivIdMatch id = FindArxivId("oai:arXiv.org:math/0601001v2");
  EXPECT_EQ(id.id, "math/0601001");
  EXPECT_EQ(id.version, 2);
  EXPECT_EQ(FindArxivId("http://arxiv.org/abs/cond-mat/0102536v1").id,
            "cond-mat/0102536");
  EXPECT_EQ(FindArxivId("arXiv:math.AG/0601001").id, "math.AG/0601001");
}

TEST(FindArxivIdTest, RejectsNonIds) {
  EXPECT_THAT(FindArxivId("").id, IsEmpty());
  EXPECT_THAT(FindArxivId("https://example.org/page").id, IsEmpty());
  EXPECT_THAT(FindArxivId("version 12345.678").id, IsEmpty());
  EXPECT_THAT(FindArxivId("x2504.03650").id, IsEmpty());  // inside a token
  EXPECT_THAT(FindArxivId("2504.036501").id, IsEmpty());  // 6 digits
  EXPECT_THAT(FindArxivId("math/060100").id, IsEmpty());  // 6 digits
}

TEST(CleanFeedTextTest, LineBreaksBecomeSingleSpacesWithoutCollapsing) {
  // The reference digest prints "#1}}   In" for "#1}}\n  In".
  EXPECT_EQ(CleanFeedText(" #1}}\n  In this paper \n"), "#1}}   In this paper");
  EXPECT_EQ(CleanFeedText("a\r\nb"), "a  b");
}

TEST(CleanFeedTextTest, StripsSanitizerTagsButKeepsMaths) {
  // feedparser turned "$0<s<1$" into "$0<s><1$"; the digest prints "$0<1$".
  EXPECT_EQ(CleanFeedText("smoothness $0<s><1$. We"), "smoothness $0<1$. We");
  EXPECT_EQ(CleanFeedText("Small (<4B), Medium, and Large (>10B)"),
            "Small (<4B), Medium, and Large (>10B)");
  EXPECT_EQ(CleanFeedText("$a<b and c>d$"), "$a<b and c>d$");
  EXPECT_EQ(CleanFeedText("$0<s<1$"), "$0<s<1$");
  EXPECT_EQ(CleanFeedText("x <a href=\"u\">link</a><br/>"), "x link");
}

TEST(CleanFeedTextTest, DecodesHtmlEntitiesOnce) {
  // The rebuilt feeds carry feedparser's "&amp;" as text.
  EXPECT_EQ(CleanFeedText("Q\\&amp;A and J&amp;F"), "Q\\&A and J&F");
  EXPECT_EQ(CleanFeedText("&lt;b&gt; &#233; &#xE9; &amp;amp;"),
            "<b> \xC3\xA9 \xC3\xA9 &amp;");
  EXPECT_EQ(CleanFeedText("AT&T & co; &unknown; &#;"),
            "AT&T & co; &unknown; &#;");
}

TEST(SplitAuthorsTest, TrimsAndDropsEmpty) {
  EXPECT_THAT(SplitAuthors("A,  B , ,C,"), ElementsAre("A", "B", "C"));
  EXPECT_THAT(SplitAuthors(""), IsEmpty());
  EXPECT_THAT(SplitAuthors("Essential AI,  :, Darsh J Shah"),
              ElementsAre("Essential AI", ":", "Darsh J Shah"));
  EXPECT_THAT(SplitAuthors("Adri\\'an Bazaga, Adri\\`a de Gispert"),
              ElementsAre("Adri\\'an Bazaga", "Adri\\`a de Gispert"));
}

}  // namespace
}  // namespace arxiv_digest
