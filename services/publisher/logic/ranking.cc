#include "services/publisher/logic/ranking.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace arxiv_digest {
namespace {

// Sort key, smaller first. Position is part of the key (not only stability)
// so the order does not depend on the order the scorer delivered results.
auto RankKey(const ScoredPaper& p, double author_match_score) {
  const bool author = p.score.author_match;
  // Author matches carry no LLM scores: their SCORE is the configured one.
  const double total =
      author ? author_match_score : p.score.relevance + p.score.novelty;
  const int relevance = author ? 0 : p.score.relevance;
  return std::make_tuple(-total, -relevance, p.paper.position);
}

}  // namespace

bool MakesTheDigest(const Score& score, const FilteringConfig& filtering) {
  if (!score.scored) return false;
  // Dropped by the h-index or title stage: its 0/0 is no LLM verdict and
  // must not pass cut-offs of 0.
  if (score.filtered) return false;
  if (score.author_match) return true;
  return score.relevance >= filtering.relevance_cutoff &&
         score.novelty >= filtering.novelty_cutoff;
}

std::vector<ScoredPaper> SelectAndRank(std::vector<ScoredPaper> scored,
                                       const FilteringConfig& filtering,
                                       double author_match_score) {
  std::vector<ScoredPaper> kept;
  kept.reserve(scored.size());
  for (ScoredPaper& p : scored) {
    if (MakesTheDigest(p.score, filtering)) kept.push_back(std::move(p));
  }
  std::stable_sort(
      kept.begin(), kept.end(),
      [author_match_score](const ScoredPaper& a, const ScoredPaper& b) {
        return RankKey(a, author_match_score) < RankKey(b, author_match_score);
      });
  return kept;
}

}  // namespace arxiv_digest
