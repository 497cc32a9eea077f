#include "services/scorer/logic/prefilter.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "absl/strings/str_cat.h"

namespace arxiv_digest {

int PrefilterThreshold(std::vector<int> lexical_relevances, double keep_share) {
  if (lexical_relevances.empty() || keep_share >= 1.0) return 0;
  std::sort(lexical_relevances.begin(), lexical_relevances.end(),
            std::greater<int>());
  size_t keep = static_cast<size_t>(
      std::ceil(keep_share * static_cast<double>(lexical_relevances.size())));
  if (keep == 0) keep = 1;
  return lexical_relevances[std::min(keep, lexical_relevances.size()) - 1];
}

std::optional<Score> Prefilter::Apply(const Paper& paper) const {
  Score lexical = scorer_.ScorePaper(paper);
  if (lexical.relevance >= threshold_) return std::nullopt;
  Score s;
  s.arxiv_id = paper.arxiv_id;
  s.relevance = lexical.relevance;
  s.novelty = lexical.novelty;
  s.scored = false;
  s.prefiltered = true;
  s.comment = lexical.comment;
  s.error = absl::StrCat("pre-filtered: lexical relevance ", lexical.relevance,
                         " below the run's threshold ", threshold_);
  return s;
}

}  // namespace arxiv_digest
