// Which scored papers make the digest, and in which order.
#pragma once

#include <vector>

#include "lib/config/config.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

// A paper together with the scorer's verdict on it.
struct ScoredPaper {
  Paper paper;
  Score score;

  bool operator==(const ScoredPaper&) const = default;
};

// Drops unscored papers and LLM-scored papers below either cutoff (author
// matches are always kept). Order: author matches first by Paper.position,
// then relevance+novelty descending, relevance descending, position
// ascending.
std::vector<ScoredPaper> SelectAndRank(std::vector<ScoredPaper> scored,
                                       const FilteringConfig& filtering);

}  // namespace arxiv_digest
