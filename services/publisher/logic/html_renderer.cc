#include "services/publisher/logic/html_renderer.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/publisher/logic/pricing.h"

namespace arxiv_digest {
namespace {

constexpr char kStyle[] = R"css(
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5;
       color: #1f2328; }
h1 { font-size: 1.6rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; }
table.usage { border-collapse: collapse; margin: 1rem 0; }
table.usage th, table.usage td { border: 1px solid #d0d7de;
       padding: 0.3rem 0.8rem; text-align: center; }
ol.toc li { margin-bottom: 0.6rem; }
.authors { color: #57606a; }
.scores { font-weight: bold; }
article { border-top: 1px solid #d0d7de; }
a { color: #0969da; }
)css";

std::string AuthorList(const Paper& paper) {
  return HtmlEscape(absl::StrJoin(paper.authors, ", "));
}

std::string UsageTable(const DigestHeader& header) {
  const TokenUsage& u = header.usage;
  const Cost cost = ComputeCost(
      header.prices ? *header.prices : DefaultPriceTable(), header.model, u);
  auto dollars = [](double v) { return "$" + FormatPythonRound2(v); };
  return absl::StrCat(
      "<table class=\"usage\">\n<tr><th>", HtmlEscape(header.model),
      "</th><th>Prompt</th><th>Completion</th><th>Total</th></tr>\n",
      "<tr><th>Tokens</th><td>", u.prompt_tokens, "</td><td>",
      u.completion_tokens, "</td><td>", u.prompt_tokens + u.completion_tokens,
      "</td></tr>\n<tr><th>Cost</th><td>", dollars(cost.prompt), "</td><td>",
      dollars(cost.completion), "</td><td>",
      dollars(cost.prompt + cost.completion), "</td></tr>\n</table>\n");
}

std::string PaperArticle(size_t index, const ScoredPaper& p) {
  const Paper& paper = p.paper;
  // arXiv ids are [0-9./a-z-] but come from a feed; escape like any text.
  const std::string id = HtmlEscape(paper.arxiv_id);
  std::string out = absl::StrCat(
      "<article id=\"link", index, "\">\n<h2>", index,
      ". <a href=\"https://arxiv.org/abs/", id, "\">", HtmlEscape(paper.title),
      "</a></h2>\n<p><b>ArXiv ID:</b> ", id,
      "</p>\n<p class=\"authors\"><b>Authors:</b> ", AuthorList(paper),
      "</p>\n<p><b>Abstract:</b> ", HtmlEscape(paper.abstract), "</p>\n");
  if (!p.score.comment.empty()) {
    absl::StrAppend(&out, "<p><b>Comment:</b> ", HtmlEscape(p.score.comment),
                    "</p>\n");
  }
  if (!p.score.author_match) {
    absl::StrAppend(&out, "<p class=\"scores\">Relevance: ", p.score.relevance,
                    " &middot; Novelty: ", p.score.novelty, "</p>\n");
  }
  out += "</article>\n";
  return out;
}

}  // namespace

std::string RenderDigestHtml(const DigestHeader& header,
                             const std::vector<ScoredPaper>& ranked) {
  const std::string title =
      HtmlEscape(absl::StrCat("Personalized Daily ArXiv Papers ", header.date));
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n<title>",
      title, "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n<h1>",
      title, "</h1>\n", UsageTable(header),
      "<p>Total arXiv papers: ", header.total_papers,
      "<br>\nTotal scanned papers: ", header.scanned_papers,
      "<br>\nTotal relevant papers: ", ranked.size(),
      "</p>\n<h2>Table of contents</h2>\n<ol class=\"toc\">\n");
  for (size_t i = 0; i < ranked.size(); ++i) {
    absl::StrAppend(&out, "<li><a href=\"#link", i + 1, "\">",
                    HtmlEscape(ranked[i].paper.title),
                    "</a><br>\n<span class=\"authors\">",
                    AuthorList(ranked[i].paper), "</span></li>\n");
  }
  out += "</ol>\n";
  for (size_t i = 0; i < ranked.size(); ++i) {
    out += PaperArticle(i + 1, ranked[i]);
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace arxiv_digest
