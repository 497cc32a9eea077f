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

// Whether a score makes the digest: not unscored, not filtered out by a
// selection stage (h-index, title stage), and an author match or an LLM
// score at or above both cutoffs.
bool MakesTheDigest(const Score& score, const FilteringConfig& filtering);

// Keeps the papers MakesTheDigest accepts. Order as the seed tool sorts: by
// SCORE descending, where SCORE is relevance+novelty for an LLM-scored paper
// and `author_match_score` for an author match, then RELEVANCE descending (0
// for an author match), then position ascending. With the default 20 an author
// match comes after LLM papers scored 10+10 only; with tatsu's 15 after
// every paper scored above 15.
std::vector<ScoredPaper> SelectAndRank(std::vector<ScoredPaper> scored,
                                       const FilteringConfig& filtering,
                                       double author_match_score = 20.0);

}  // namespace arxiv_digest
