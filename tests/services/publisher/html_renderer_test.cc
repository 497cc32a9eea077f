#include "services/publisher/logic/html_renderer.h"

#include <fstream>
#include <regex>
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

// tests/fixtures/arxiv/rss/jmamath_distill__arxiv_cs_lg_truncated.xml,
// first item: its id and categories as the feed gives them.
TEST(HtmlRendererTest, PdfAndHtmlLinksAndCategories) {
  ScoredPaper p;
  p.paper.arxiv_id = "2604.21952";
  p.paper.title =
      "Focus Session: Hardware and Software Techniques for Accelerating "
      "Multimodal Foundation Models";
  p.paper.authors = {"Muhammad Shafique", "Abdul Basit"};
  p.paper.categories = {"cs.LG", "cs.AI", "cs.AR", "cs.NE", "cs.RO"};
  p.score.relevance = 8;
  p.score.novelty = 7;
  const std::string html = RenderDigestHtml(Header(), {p});
  EXPECT_NE(html.find("<a href=\"https://arxiv.org/pdf/2604.21952\">PDF</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://arxiv.org/html/2604.21952\">HTML</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<span class=\"cat primary\">cs.LG</span>"
                      "<span class=\"cat\">cs.AI</span>"),
            std::string::npos);
  EXPECT_NE(html.find("<span class=\"cat\">cs.RO</span>"), std::string::npos);
  EXPECT_EQ(ArxivPdfUrl("2604.21952"), "https://arxiv.org/pdf/2604.21952");
  EXPECT_EQ(ArxivHtmlUrl("2604.21952"), "https://arxiv.org/html/2604.21952");
}

// The reference digest's papers: names and math read as text on the page
// (the markdown keeps the TeX, byte for byte).
TEST(HtmlRendererTest, TexIsRenderedAsText) {
  std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) +
                   "/tests/fixtures/reference/scored-2025-04-22.json");
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::vector<ScoredPaper>> papers = ParseScoredJson(text.str());
  ASSERT_TRUE(papers.ok()) << papers.status();
  const std::string html = RenderDigestHtml(Header(), *papers);
  EXPECT_NE(html.find("Mehmet Yamaç"), std::string::npos);
  EXPECT_NE(html.find("Ivan Vulić"), std::string::npos);
  EXPECT_NE(html.find("Lorenzo Nicolè"), std::string::npos);
  EXPECT_NE(html.find("1.57×"), std::string::npos);
  EXPECT_NE(html.find("ℝ^d"), std::string::npos);
  EXPECT_EQ(html.find("\\c{c}"), std::string::npos);
  EXPECT_EQ(html.find("\\mathbb"), std::string::npos);
  EXPECT_EQ(html.find("\\times"), std::string::npos);
  // The JSON digest's title is the TeX as written; only the page cleans it.
  ScoredPaper p;
  p.paper.arxiv_id = "2504.00009";
  p.paper.title = R"(J\"org's $\sim$2$\times$ \emph{faster} <b>)";
  p.paper.authors = {R"(J\"org M\"uller)"};
  const std::string one = RenderDigestHtml(Header(), {p});
  EXPECT_NE(one.find("Jörg&#39;s ~2× faster &lt;b&gt;"), std::string::npos)
      << one;
  EXPECT_NE(one.find("Jörg Müller"), std::string::npos);
}

TEST(HtmlRendererTest, PromptSectionAsInTheMarkdown) {
  const std::string prompt = "## Instructions\n\n- ARXIVID: <id> & more";
  const std::string html = RenderDigestHtml(Header(), {}, prompt);
  EXPECT_NE(html.find("<h2>Paper Selection Prompt</h2>\n<div class=\"prompt\">"
                      "## Instructions\n\n- ARXIVID: &lt;id&gt; &amp; more"
                      "</div>"),
            std::string::npos)
      << html;
  EXPECT_EQ(RenderDigestHtml(Header(), {}).find("Paper Selection Prompt"),
            std::string::npos);
}

TEST(HtmlRendererTest, UnknownPriceIsNamed) {
  DigestHeader h = Header();
  h.model = "gpt-9-<preview>";
  const std::string html = RenderDigestHtml(h, {});
  EXPECT_NE(html.find("<td>n/a</td>"), std::string::npos);
  EXPECT_EQ(html.find("$0.0"), std::string::npos);
  EXPECT_NE(html.find("Cost: no known price for gpt-9-&lt;preview&gt;"),
            std::string::npos);
  EXPECT_EQ(RenderDigestHtml(Header(), {}).find("no known price"),
            std::string::npos);
}

// No fixed widths anywhere: the 390 px check in headless Chromium is
// tests/services/api/web_server_test.cc (ChromiumNoHorizontalScrollAt390px).
TEST(HtmlRendererTest, ResponsiveLayout) {
  const std::string html = RenderDigestHtml(Header(), {});
  EXPECT_NE(html.find("name=\"viewport\" content=\"width=device-width"),
            std::string::npos);
  EXPECT_NE(html.find("@media (min-width:"), std::string::npos);
  EXPECT_NE(html.find("overflow-wrap: anywhere"), std::string::npos);
  EXPECT_NE(html.find("table-layout: fixed"), std::string::npos);
  EXPECT_FALSE(std::regex_search(html, std::regex(R"(width:\s*[0-9.]+px)")))
      << "a fixed width";
}

}  // namespace
}  // namespace arxiv_digest
