#include "services/publisher/logic/html_renderer.h"

#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "services/publisher/logic/json_renderer.h"

namespace arxiv_digest {
namespace {

DigestHeader Header() {
  DigestHeader h;
  h.date = "2025-04-22";
  h.model = "gpt-4o";
  h.usage = {.prompt_tokens = 51438, .completion_tokens = 7285};
  h.total_papers = 791;
  h.scanned_papers = 462;
  return h;
}

TEST(HtmlRendererTest, EscapesPaperText) {
  ScoredPaper p;
  p.paper.arxiv_id = "2504.00001";
  p.paper.title = "<script>alert(1)</script> & \"quotes\"";
  p.paper.authors = {"O'Brien <ob@x>"};
  p.paper.abstract = "a < b > c";
  p.score.comment = "<b>bold</b>";
  p.score.relevance = 9;
  p.score.novelty = 8;
  const std::string html = RenderDigestHtml(Header(), {p});
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<b>bold</b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
                      "&quot;quotes&quot;"),
            std::string::npos);
  EXPECT_NE(html.find("O&#39;Brien &lt;ob@x&gt;"), std::string::npos);
  EXPECT_NE(html.find("a &lt; b &gt; c"), std::string::npos);
  EXPECT_NE(html.find("Relevance: 9"), std::string::npos);
}

TEST(HtmlRendererTest, StandalonePageWithEveryPaper) {
  std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) +
                   "/tests/fixtures/reference/scored-2025-04-22.json");
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::vector<ScoredPaper>> papers = ParseScoredJson(text.str());
  ASSERT_TRUE(papers.ok()) << papers.status();
  const std::string html = RenderDigestHtml(Header(), *papers);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.find("<title>Personalized Daily ArXiv Papers 2025-04-22"
                      "</title>"),
            std::string::npos);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_NE(html.find("<td>$0.13</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>$0.2</td>"), std::string::npos);
  EXPECT_NE(html.find("Total relevant papers: 29"), std::string::npos);
  for (size_t i = 0; i < papers->size(); ++i) {
    const std::string id = (*papers)[i].paper.arxiv_id;
    EXPECT_NE(html.find("href=\"https://arxiv.org/abs/" + id + "\""),
              std::string::npos)
        << id;
    const std::string n = std::to_string(i + 1);
    EXPECT_NE(html.find("href=\"#link" + n + "\""), std::string::npos) << n;
    EXPECT_NE(html.find("id=\"link" + n + "\""), std::string::npos) << n;
  }
  EXPECT_TRUE(html.ends_with("</body>\n</html>\n"));
}

TEST(HtmlRendererTest, AuthorMatchHasNoScores) {
  ScoredPaper p;
  p.paper.arxiv_id = "2504.00003";
  p.score.author_match = true;
  p.score.comment = "Author match";
  const std::string html = RenderDigestHtml(Header(), {p});
  EXPECT_NE(html.find("Author match"), std::string::npos);
  EXPECT_EQ(html.find("Relevance:"), std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
