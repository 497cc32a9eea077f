// The digest in Markdown, byte for byte as the Python tool wrote it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/core/paper.h"
#include "services/publisher/logic/pricing.h"
#include "services/publisher/logic/ranking.h"

namespace arxiv_digest {

// Run-level numbers shown at the top of every digest format.
struct DigestHeader {
  std::string date;   // YYYY-MM-DD
  std::string model;  // priced by ComputeCost
  TokenUsage usage;
  int64_t total_papers = 0;            // "Total arXiv papers"
  int64_t scanned_papers = 0;          // "Total scanned papers"
  const PriceTable* prices = nullptr;  // null: DefaultPriceTable()
  // SelectionSummary's sentence: the HTML page shows it under the totals;
  // the markdown does not (the seed tool's layout). Empty: not shown.
  std::string selection_summary;
};

// The token/cost table under the title (no trailing newline). Without a
// known price for the model the cost cells read "n/a" instead of $0.0.
std::string RenderHeadTable(const DigestHeader& header);

// The sentence under the table when the model has no known price
// (NoKnownPriceNote of pricing.h); empty when it has one.
std::string HeaderPriceNote(const DigestHeader& header);

// The whole digest; `ranked` is already in digest order and `prompt_section`
// is BuildDigestPromptSection's text. No trailing newline, like the original.
std::string RenderDigestMarkdown(const DigestHeader& header,
                                 const std::vector<ScoredPaper>& ranked,
                                 const std::string& prompt_section);

}  // namespace arxiv_digest
