// The reader's side of the web site on a real digest: one Atom entry per
// paper with readable TeX, autodiscovery and day/profile navigation on the
// stored page, the neighbouring days and the digest JSON reader.
#include "services/api/logic/web_pages.h"

#include <gtest/gtest.h>

#include <fstream>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "services/api/logic/digest_view.h"
#include "services/publisher/logic/html_renderer.h"
#include "services/publisher/logic/json_renderer.h"

namespace arxiv_digest::api {
namespace {

std::vector<ScoredPaper> ReferencePapers() {
  std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) +
                   "/tests/fixtures/reference/scored-2025-04-22.json");
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::vector<ScoredPaper>> papers = ParseScoredJson(text.str());
  EXPECT_TRUE(papers.ok()) << papers.status();
  return papers.ok() ? *papers : std::vector<ScoredPaper>{};
}

TEST(DigestViewTest, ParsesThePublishersJsonInOrder) {
  std::vector<ScoredPaper> ranked = ReferencePapers();
  ASSERT_EQ(ranked.size(), 29u);
  absl::StatusOr<std::vector<DigestPaperView>> papers =
      ParseDigestPapers(RenderDigestJson(ranked));
  ASSERT_TRUE(papers.ok()) << papers.status();
  ASSERT_EQ(papers->size(), ranked.size());
  for (size_t i = 0; i < ranked.size(); ++i) {
    const DigestPaperView& p = (*papers)[i];
    EXPECT_EQ(p.arxiv_id, ranked[i].paper.arxiv_id);
    EXPECT_EQ(p.title, ranked[i].paper.title);
    EXPECT_EQ(p.authors, ranked[i].paper.authors);
    EXPECT_EQ(p.abstract, ranked[i].paper.abstract);
    EXPECT_EQ(p.author_match, ranked[i].score.author_match);
    if (!p.author_match) EXPECT_EQ(p.relevance, ranked[i].score.relevance);
  }
  EXPECT_FALSE(ParseDigestPapers("[1,2]").ok());
  EXPECT_FALSE(ParseDigestPapers("{").ok());
  absl::StatusOr<std::vector<DigestPaperView>> odd =
      ParseDigestPapers(R"({"x": 1, "y": {"title": 5}, "z": {"title": "T"}})");
  ASSERT_TRUE(odd.ok());
  ASSERT_EQ(odd->size(), 1u);
  EXPECT_EQ((*odd)[0].arxiv_id, "z");
  EXPECT_TRUE((*odd)[0].author_match);
}

TEST(DigestViewTest, DayNeighbours) {
  const std::vector<std::string> dates = {"2025-04-22", "2025-04-15",
                                          "2025-04-08", "2025-04-09"};
  DayNeighbours n = FindDayNeighbours(dates, "2025-04-15");
  EXPECT_EQ(n.previous, "2025-04-09");
  EXPECT_EQ(n.next, "2025-04-22");
  n = FindDayNeighbours(dates, "2025-04-08");
  EXPECT_EQ(n.previous, "");
  EXPECT_EQ(n.next, "2025-04-09");
  n = FindDayNeighbours(dates, "2025-04-22");
  EXPECT_EQ(n.next, "");
  n = FindDayNeighbours(dates, "2025-04-10");  // not itself in the index
  EXPECT_EQ(n.previous, "2025-04-09");
  EXPECT_EQ(n.next, "2025-04-15");
}

TEST(WebPagesTest, AtomHasOneEntryPerPaperWithReadableSummary) {
  std::vector<ScoredPaper> ranked = ReferencePapers();
  absl::StatusOr<std::vector<DigestPaperView>> papers =
      ParseDigestPapers(RenderDigestJson(ranked));
  ASSERT_TRUE(papers.ok());
  std::vector<FeedDigest> digests = {
      {{"2025-04-22", 1, 29, "2025-04-22T07:00:00Z", "r"}, *papers},
      {{"2025-04-21", 1, 0, "", "r"}, {}}};
  std::string feed =
      RenderAtomFeed("default", "http://h:1", digests, "2025-04-23T00:00:00Z");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(feed.c_str())) << feed;
  std::vector<pugi::xml_node> entries;
  for (pugi::xml_node e : doc.child("feed").children("entry")) {
    entries.push_back(e);
  }
  ASSERT_EQ(entries.size(), 30u);  // 29 papers + the empty day
  std::set<std::string> ids;
  bool saw_accented_author = false;
  for (size_t i = 0; i < 29; ++i) {
    pugi::xml_node e = entries[i];
    const std::string id = ranked[i].paper.arxiv_id;
    ids.insert(e.child_value("id"));
    EXPECT_EQ(std::string(e.child_value("id")),
              "http://h:1/p/default/2025-04-22#" + id);
    EXPECT_EQ(std::string(e.child("link").attribute("href").value()),
              "https://arxiv.org/abs/" + id);
    const std::string summary = e.child_value("summary");
    EXPECT_GT(summary.size(), 100u) << id;
    EXPECT_EQ(summary.find("$"), std::string::npos) << id;
    EXPECT_EQ(std::string(e.child_value("title")).find('\\'),
              std::string::npos);
    EXPECT_STREQ(e.child_value("updated"), "2025-04-22T07:00:00Z");
    const std::string content = e.child_value("content");
    EXPECT_NE(content.find("https://arxiv.org/pdf/" + id), std::string::npos);
    for (pugi::xml_node a : e.children("author")) {
      std::string name = a.child_value("name");
      EXPECT_EQ(name.find('\\'), std::string::npos) << name;
      if (name == "Mehmet Yamaç" || name == "Ivan Vulić") {
        saw_accented_author = true;
      }
    }
  }
  EXPECT_EQ(ids.size(), 29u);
  EXPECT_TRUE(saw_accented_author);
  EXPECT_NE(std::string(entries[29].child_value("title")).find("2025-04-21"),
            std::string::npos);
}

TEST(WebPagesTest, AtomEntriesAreBounded) {
  FeedDigest big{{"2025-04-22", 1, 600, "", "r"}, {}};
  big.papers.resize(600);
  for (size_t i = 0; i < big.papers.size(); ++i) {
    big.papers[i].arxiv_id = "2504." + std::to_string(10000 + i);
    big.papers[i].title = "T";
  }
  std::string feed = RenderAtomFeed("default", "http://h:1", {big, big}, "");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(feed.c_str()));
  size_t n = 0;
  for ([[maybe_unused]] pugi::xml_node e :
       doc.child("feed").children("entry")) {
    ++n;
  }
  EXPECT_EQ(n, static_cast<size_t>(kMaxFeedEntries));
}

TEST(WebPagesTest, DatesPageAnnouncesItsFeed) {
  const std::string page =
      RenderDatesPage("alice", {{"2025-04-08", 1, 5, "", ""}});
  const size_t link = page.find(
      "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"arXiv "
      "digest: alice\" href=\"/p/alice/feed.atom\">");
  ASSERT_NE(link, std::string::npos);
  EXPECT_LT(link, page.find("</head>"));
}

TEST(WebPagesTest, DecoratedDigestPageLinksDaysProfilesAndFeed) {
  DigestHeader header;
  header.date = "2025-04-22";
  header.model = "gpt-4o";
  const std::string html = RenderDigestHtml(header, ReferencePapers(), "P");
  DigestPageNav nav{"default",
                    "2025-04-22",
                    {"2025-04-15", "2025-04-29"},
                    {"alice", "default", "<b>"}};
  const std::string page = DecorateDigestPage(html, nav);
  const size_t head_end = page.find("</head>");
  const size_t feed = page.find(
      "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"arXiv "
      "digest: default\" href=\"/p/default/feed.atom\">");
  ASSERT_NE(feed, std::string::npos);
  EXPECT_LT(feed, head_end);
  const size_t body = page.find("<body>");
  const size_t prev = page.find(
      "<a rel=\"prev\" href=\"/p/default/2025-04-15\">&larr; 2025-04-15</a>");
  const size_t next = page.find(
      "<a rel=\"next\" href=\"/p/default/2025-04-29\">2025-04-29 &rarr;</a>");
  ASSERT_NE(prev, std::string::npos);
  ASSERT_NE(next, std::string::npos);
  EXPECT_LT(body, prev);
  EXPECT_LT(prev, page.find("<h1>"));
  EXPECT_NE(page.find("<a href=\"/p/alice/\">alice</a>"), std::string::npos);
  EXPECT_NE(page.find("<strong>default</strong>"), std::string::npos);
  EXPECT_EQ(page.find("<b>"), page.find("<b>ArXiv ID:</b>"));  // escaped
  // Everything the publisher wrote is still there, unchanged.
  EXPECT_NE(page.find(html.substr(html.find("<h1>"))), std::string::npos);

  // The first and last day have no link beyond them; a bare page keeps
  // its text.
  nav.days = {};
  const std::string alone = DecorateDigestPage(html, nav);
  EXPECT_EQ(alone.find("rel=\"prev\""), std::string::npos);
  EXPECT_EQ(alone.find("rel=\"next\""), std::string::npos);
  EXPECT_EQ(DecorateDigestPage("plain", nav), "plain");
}

}  // namespace
}  // namespace arxiv_digest::api
