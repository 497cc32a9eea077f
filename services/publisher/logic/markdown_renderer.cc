#include "services/publisher/logic/markdown_renderer.h"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/publisher/logic/pricing.h"

namespace arxiv_digest {
namespace {

using Row = std::array<std::string, 4>;

// tabulate's "github" layout with centred separators, as the Python tool
// post-processed it: every cell left-aligned in a column of width
// max(len(header) + 2, longest cell), one space of padding on each side.
// Widths count bytes; every cell here is ASCII.
std::string RenderTable(const Row& headers, const std::array<Row, 2>& rows) {
  std::array<size_t, 4> width{};
  for (size_t c = 0; c < width.size(); ++c) {
    width[c] = headers[c].size() + 2;
    for (const Row& row : rows) width[c] = std::max(width[c], row[c].size());
  }
  auto render_row = [&](const Row& row) {
    std::string line = "|";
    for (size_t c = 0; c < row.size(); ++c) {
      absl::StrAppend(&line, " ", row[c],
                      std::string(width[c] - row[c].size(), ' '), " |");
    }
    return line;
  };
  std::string separator = "|";
  for (size_t w : width)
    absl::StrAppend(&separator, ":", std::string(w, '-'), ":|");

  std::vector<std::string> lines = {render_row(headers), separator};
  for (const Row& row : rows) lines.push_back(render_row(row));
  return absl::StrJoin(lines, "\n");
}

// "$0.0" would claim the run was free: an unpriced model says "n/a".
std::string Dollars(const Cost& cost, double value) {
  if (!cost.known_model) return "n/a";
  return absl::StrCat("$", FormatPythonRound2(value));
}

Cost HeaderCost(const DigestHeader& header) {
  return ComputeCost(header.prices ? *header.prices : DefaultPriceTable(),
                     header.model, header.usage);
}

std::string TocEntry(size_t index, const ScoredPaper& p) {
  return absl::StrCat(index, ". [", p.paper.title, "](#user-content-link",
                      index, ")\n**Authors:** ",
                      absl::StrJoin(p.paper.authors, ", "));
}

std::string PaperSection(size_t index, const ScoredPaper& p) {
  const Paper& paper = p.paper;
  std::string out = absl::StrCat(
      "## ", index, ". [", paper.title, "](https://arxiv.org/abs/",
      paper.arxiv_id, ") <a id=\"link", index, "\"></a>\n\n**ArXiv ID:** ",
      paper.arxiv_id, "\n\n**Authors:** ", absl::StrJoin(paper.authors, ", "),
      "\n\n**Abstract:** ", paper.abstract, "\n\n");
  // The comment is printed verbatim (the Python tool did not strip it).
  if (!p.score.comment.empty()) {
    absl::StrAppend(&out, "**Comment:** ", p.score.comment, "\n\n");
  }
  // An author match has no LLM scores, so its section ends with "\n\n".
  if (!p.score.author_match) {
    absl::StrAppend(&out, "**Relevance:** ", p.score.relevance,
                    "\n**Novelty:** ", p.score.novelty);
  }
  return out;
}

}  // namespace

std::string RenderHeadTable(const DigestHeader& header) {
  const TokenUsage& usage = header.usage;
  const Cost cost = HeaderCost(header);
  const Row headers = {absl::StrCat("*[", header.model, "]*"), "Prompt",
                       "Completion", "Total"};
  const std::array<Row, 2> rows = {{
      {"**Token**", absl::StrCat(usage.prompt_tokens),
       absl::StrCat(usage.completion_tokens),
       absl::StrCat(usage.prompt_tokens + usage.completion_tokens)},
      // The total is rounded from the unrounded sum, so it may differ from
      // the sum of the two rounded cells ($0.13 + $0.07 shows as $0.2).
      {"**Cost**", Dollars(cost, cost.prompt), Dollars(cost, cost.completion),
       Dollars(cost, cost.prompt + cost.completion)},
  }};
  return RenderTable(headers, rows);
}

std::string HeaderPriceNote(const DigestHeader& header) {
  const std::string note = NoKnownPriceNote(
      header.prices ? *header.prices : DefaultPriceTable(), header.model);
  if (note.empty()) return "";
  return absl::StrCat("Cost: ", note, " (add it to configs/model_prices.ini).");
}

std::string RenderDigestMarkdown(const DigestHeader& header,
                                 const std::vector<ScoredPaper>& ranked,
                                 const std::string& prompt_section) {
  std::vector<std::string> toc;
  std::vector<std::string> sections;
  toc.reserve(ranked.size());
  sections.reserve(ranked.size());
  for (size_t i = 0; i < ranked.size(); ++i) {
    toc.push_back(TocEntry(i + 1, ranked[i]));
    sections.push_back(PaperSection(i + 1, ranked[i]));
  }
  std::string head_table = RenderHeadTable(header);
  if (std::string note = HeaderPriceNote(header); !note.empty()) {
    absl::StrAppend(&head_table, "\n\n", note);
  }
  const std::vector<std::string> parts = {
      absl::StrCat("# Personalized Daily ArXiv Papers ", header.date),
      head_table,
      absl::StrCat("Total arXiv papers: ", header.total_papers),
      absl::StrCat("Total scanned papers: ", header.scanned_papers),
      absl::StrCat("Total relevant papers: ", ranked.size()),
      "**Table of contents with paper titles:**",
      absl::StrJoin(toc, "\n\n"),
      "---",
      absl::StrJoin(sections, "\n\n---\n\n"),
      "---",
      "# Paper Selection Prompt",
      prompt_section,
  };
  return absl::StrJoin(parts, "\n\n");
}

}  // namespace arxiv_digest
