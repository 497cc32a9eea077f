// The optional cheap-before-expensive step: the lexical scorer ranks a
// whole run and only its top share goes to the LLM. Pure logic.
#pragma once

#include <optional>
#include <vector>

#include "lib/core/paper.h"
#include "services/scorer/logic/lexical_scorer.h"

namespace arxiv_digest {

// The lowest lexical relevance that is still sent to the LLM so that about
// keep_share of the papers pass; ties at the threshold all pass, so the
// share kept can be a little larger. keep_share >= 1 keeps everything.
int PrefilterThreshold(std::vector<int> lexical_relevances, double keep_share);

class Prefilter {
 public:
  Prefilter(const LexicalScorer& scorer, int threshold)
      : scorer_(scorer), threshold_(threshold) {}
  // A pre-filtered (unscored) result for papers below the threshold, or
  // nullopt when the paper goes on to the LLM.
  std::optional<Score> Apply(const Paper& paper) const;
  int threshold() const { return threshold_; }

 private:
  const LexicalScorer& scorer_;
  int threshold_;
};

}  // namespace arxiv_digest
