#include "services/publisher/logic/html_renderer.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/text/tex_to_text.h"
#include "services/publisher/logic/pricing.h"

namespace arxiv_digest {
namespace {

// Mobile first: cards, wrapping long words and URLs, a usage table that
// takes the width it is given. Wider screens get a centred column.
constexpr char kStyle[] = R"css(
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       margin: 0 auto; padding: 0.75rem; max-width: 52rem; line-height: 1.5;
       color: #1f2328; overflow-wrap: anywhere; word-break: break-word; }
h1 { font-size: 1.4rem; margin: 0.5rem 0; }
h2 { font-size: 1.15rem; margin: 0 0 0.5rem; }
table.usage { border-collapse: collapse; margin: 1rem 0; width: 100%;
              max-width: 36rem; table-layout: fixed; font-size: 0.8rem; }
table.usage th, table.usage td { border: 1px solid #d0d7de;
       padding: 0.25rem 0.2rem; text-align: center; }
table.usage tr:first-child th:first-child { width: 20%; }
.price-note { color: #9a6700; }
ol.toc { padding-left: 1.6rem; }
ol.toc li { margin-bottom: 0.6rem; }
.authors { color: #57606a; }
p.selection { color: #57606a; }
.scores { font-weight: bold; }
article { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.75rem;
          margin: 1rem 0; }
.links a { display: inline-block; margin-right: 0.8rem; }
.cats { margin: 0.3rem 0; }
.cat { display: inline-block; font-size: 0.8rem; padding: 0 0.4rem;
       margin: 0 0.3rem 0.2rem 0; border: 1px solid #d0d7de;
       border-radius: 1rem; background: #f6f8fa; }
.cat.primary { font-weight: bold; }
.prompt { white-space: pre-wrap; font-family: ui-monospace, monospace;
          font-size: 0.85rem; background: #f6f8fa; padding: 0.75rem;
          border-radius: 6px; }
a { color: #0969da; }
@media (min-width: 40rem) {
  body { padding: 1rem 1.5rem; }
  h1 { font-size: 1.6rem; }
  h2 { font-size: 1.2rem; }
  article { padding: 1rem 1.25rem; }
}
)css";

// Escaped, readable text of a TeX field.
std::string Text(std::string_view tex) { return HtmlEscape(TexToText(tex)); }

std::string AuthorList(const Paper& paper) {
  return Text(absl::StrJoin(paper.authors, ", "));
}

std::string UsageTable(const DigestHeader& header) {
  const TokenUsage& u = header.usage;
  const Cost cost = ComputeCost(
      header.prices ? *header.prices : DefaultPriceTable(), header.model, u);
  auto dollars = [&](double v) {
    return cost.known_model ? "$" + FormatPythonRound2(v) : std::string("n/a");
  };
  std::string out = absl::StrCat(
      "<table class=\"usage\">\n<tr><th>", HtmlEscape(header.model),
      "</th><th>Prompt</th><th>Completion</th><th>Total</th></tr>\n",
      "<tr><th>Tokens</th><td>", u.prompt_tokens, "</td><td>",
      u.completion_tokens, "</td><td>", u.prompt_tokens + u.completion_tokens,
      "</td></tr>\n<tr><th>Cost</th><td>", dollars(cost.prompt), "</td><td>",
      dollars(cost.completion), "</td><td>",
      dollars(cost.prompt + cost.completion), "</td></tr>\n</table>\n");
  if (std::string note = HeaderPriceNote(header); !note.empty()) {
    absl::StrAppend(&out, "<p class=\"price-note\">", HtmlEscape(note),
                    "</p>\n");
  }
  return out;
}

std::string Categories(const Paper& paper) {
  if (paper.categories.empty()) return "";
  std::string out = "<p class=\"cats\">";
  for (size_t i = 0; i < paper.categories.size(); ++i) {
    absl::StrAppend(&out, "<span class=\"cat", i == 0 ? " primary" : "", "\">",
                    HtmlEscape(paper.categories[i]), "</span>");
  }
  out += "</p>\n";
  return out;
}

std::string PaperArticle(size_t index, const ScoredPaper& p) {
  const Paper& paper = p.paper;
  // arXiv ids are [0-9./a-z-] but come from a feed; escape like any text.
  const std::string id = HtmlEscape(paper.arxiv_id);
  std::string out = absl::StrCat(
      "<article id=\"link", index, "\">\n<h2>", index,
      ". <a href=\"https://arxiv.org/abs/", id, "\">", Text(paper.title),
      "</a></h2>\n<p class=\"links\"><a href=\"https://arxiv.org/abs/", id,
      "\">Abstract</a><a href=\"", HtmlEscape(ArxivPdfUrl(paper.arxiv_id)),
      "\">PDF</a><a href=\"", HtmlEscape(ArxivHtmlUrl(paper.arxiv_id)),
      "\">HTML</a></p>\n", Categories(paper), "<p><b>ArXiv ID:</b> ", id,
      "</p>\n<p class=\"authors\"><b>Authors:</b> ", AuthorList(paper),
      "</p>\n<p><b>Abstract:</b> ", Text(paper.abstract), "</p>\n");
  if (!p.score.comment.empty()) {
    absl::StrAppend(&out, "<p><b>Comment:</b> ", Text(p.score.comment),
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

std::string ArxivPdfUrl(std::string_view arxiv_id) {
  return "https://arxiv.org/pdf/" + std::string(arxiv_id);
}

std::string ArxivHtmlUrl(std::string_view arxiv_id) {
  return "https://arxiv.org/html/" + std::string(arxiv_id);
}

std::string RenderDigestHtml(const DigestHeader& header,
                             const std::vector<ScoredPaper>& ranked,
                             std::string_view prompt_section) {
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
      "<br>\nTotal relevant papers: ", ranked.size(), "</p>\n");
  if (!header.selection_summary.empty()) {
    absl::StrAppend(&out, "<p class=\"selection\">",
                    HtmlEscape(header.selection_summary), "</p>\n");
  }
  absl::StrAppend(&out, "<h2>Table of contents</h2>\n<ol class=\"toc\">\n");
  for (size_t i = 0; i < ranked.size(); ++i) {
    absl::StrAppend(&out, "<li><a href=\"#link", i + 1, "\">",
                    Text(ranked[i].paper.title),
                    "</a><br>\n<span class=\"authors\">",
                    AuthorList(ranked[i].paper), "</span></li>\n");
  }
  out += "</ol>\n";
  for (size_t i = 0; i < ranked.size(); ++i) {
    out += PaperArticle(i + 1, ranked[i]);
  }
  if (!prompt_section.empty()) {
    absl::StrAppend(&out,
                    "<section id=\"prompt\">\n<h2>Paper Selection Prompt</h2>\n"
                    "<div class=\"prompt\">",
                    HtmlEscape(prompt_section), "</div>\n</section>\n");
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace arxiv_digest
