#include "services/publisher/logic/markdown_renderer.h"

#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace arxiv_digest {
namespace {

std::string ReadReference(const std::string& name) {
  std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) +
                       "/tests/fixtures/reference/" + name,
                   std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The four table lines between the title and "Total arXiv papers".
std::string ReferenceHeadTable(const std::string& digest) {
  const size_t start = digest.find("\n\n| ");
  const size_t end = digest.find("\n\nTotal arXiv papers:");
  if (start == std::string::npos || end == std::string::npos) return "";
  return digest.substr(start + 2, end - start - 2);
}

struct HeadCase {
  const char* file;
  int64_t prompt;
  int64_t completion;
};

TEST(MarkdownRendererTest, HeadTableMatchesAllReferences) {
  for (const HeadCase& c : {HeadCase{"digest-2025-04-08.md", 53257, 7591},
                            HeadCase{"digest-2025-04-15.md", 57598, 8329},
                            HeadCase{"digest-2025-04-22.md", 51438, 7285}}) {
    DigestHeader h;
    h.model = "gpt-4o";
    h.usage = {.prompt_tokens = c.prompt, .completion_tokens = c.completion};
    const std::string reference = ReferenceHeadTable(ReadReference(c.file));
    ASSERT_FALSE(reference.empty()) << c.file;
    EXPECT_EQ(RenderHeadTable(h), reference) << c.file;
  }
}

TEST(MarkdownRendererTest, HeadTableWidensForLongCells) {
  DigestHeader h;
  h.model = "unknown";
  h.usage = {.prompt_tokens = 123456789012, .completion_tokens = 1};
  EXPECT_EQ(RenderHeadTable(h),
            "| *[unknown]*   | Prompt       | Completion   | Total        |\n"
            "|:-------------:|:------------:|:------------:|:------------:|\n"
            "| **Token**     | 123456789012 | 1            | 123456789013 |\n"
            "| **Cost**      | n/a          | n/a          | n/a          |");
}

// A model without a price says so instead of claiming "$0.0"; a priced one
// keeps the reference layout (HeadTableMatchesAllReferences).
TEST(MarkdownRendererTest, UnknownPriceIsNamed) {
  DigestHeader h;
  h.date = "2025-05-01";
  h.model = "gpt-9-preview";
  h.usage = {.prompt_tokens = 1000, .completion_tokens = 100};
  const std::string md = RenderDigestMarkdown(h, {}, "P");
  EXPECT_NE(md.find(RenderHeadTable(h) +
                    "\n\nCost: no known price for gpt-9-preview (add it to "
                    "configs/model_prices.ini).\n\n"
                    "Total arXiv papers: 0"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("$0.0"), std::string::npos);
  h.model = "gpt-4o";
  EXPECT_EQ(RenderDigestMarkdown(h, {}, "P").find("no known price"),
            std::string::npos);
  EXPECT_EQ(HeaderPriceNote(h), "");
}

ScoredPaper Paper1() {
  ScoredPaper p;
  p.paper.arxiv_id = "2504.00001";
  p.paper.title = "First";
  p.paper.authors = {"A One", "B Two"};
  p.paper.abstract = "Abs one.";
  p.score.comment = "Matches criterion 2.";
  p.score.relevance = 9;
  p.score.novelty = 8;
  return p;
}

ScoredPaper AuthorMatch() {
  ScoredPaper p;
  p.paper.arxiv_id = "2504.00002";
  p.paper.title = "Second";
  p.paper.authors = {"C Three"};
  p.paper.abstract = "Abs two.";
  p.score.author_match = true;
  p.score.author_match_score = 20;
  p.score.comment = "Author match";
  return p;
}

TEST(MarkdownRendererTest, WholeDocumentLayout) {
  DigestHeader h;
  h.date = "2025-05-01";
  h.model = "gpt-4o";
  h.usage = {.prompt_tokens = 1000, .completion_tokens = 100};
  h.total_papers = 10;
  h.scanned_papers = 5;
  const std::string md =
      RenderDigestMarkdown(h, {AuthorMatch(), Paper1()}, "PROMPT");
  const std::string expected =
      "# Personalized Daily ArXiv Papers 2025-05-01\n\n" + RenderHeadTable(h) +
      "\n\nTotal arXiv papers: 10\n\nTotal scanned papers: 5\n\n"
      "Total relevant papers: 2\n\n"
      "**Table of contents with paper titles:**\n\n"
      "1. [Second](#user-content-link1)\n**Authors:** C Three\n\n"
      "2. [First](#user-content-link2)\n**Authors:** A One, B Two\n\n"
      "---\n\n"
      "## 1. [Second](https://arxiv.org/abs/2504.00002) <a id=\"link1\"></a>"
      "\n\n**ArXiv ID:** 2504.00002\n\n**Authors:** C Three\n\n"
      "**Abstract:** Abs two.\n\n**Comment:** Author match\n\n"
      "\n\n---\n\n"
      "## 2. [First](https://arxiv.org/abs/2504.00001) <a id=\"link2\"></a>"
      "\n\n**ArXiv ID:** 2504.00001\n\n**Authors:** A One, B Two\n\n"
      "**Abstract:** Abs one.\n\n**Comment:** Matches criterion 2.\n\n"
      "**Relevance:** 9\n**Novelty:** 8"
      "\n\n---\n\n# Paper Selection Prompt\n\nPROMPT";
  EXPECT_EQ(md, expected);
}

TEST(MarkdownRendererTest, EmptyCommentIsOmitted) {
  ScoredPaper p = Paper1();
  p.score.comment.clear();
  const std::string md = RenderDigestMarkdown(DigestHeader{}, {p}, "P");
  EXPECT_EQ(md.find("**Comment:**"), std::string::npos);
  EXPECT_NE(md.find("**Abstract:** Abs one.\n\n**Relevance:** 9\n"),
            std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
