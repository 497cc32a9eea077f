#include "services/scorer/logic/semantic_scholar.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"

namespace arxiv_digest {

int BestHIndex(const S2Paper& paper) {
  int best = 0;
  for (const S2Author& a : paper.authors) {
    if (a.h_index) best = std::max(best, *a.h_index);
  }
  return best;
}

bool BelowHIndexCutoff(int best_h_index, int h_cutoff) {
  return h_cutoff > 0 && best_h_index < h_cutoff;
}

std::string HIndexFilteredComment(int best_h_index, int h_cutoff) {
  return absl::StrCat("H-index filtered (max is ", best_h_index, "<", h_cutoff,
                      ")");
}

bool FollowedById(const S2Paper& paper,
                  const std::vector<FollowedAuthor>& followed) {
  std::set<std::string> ids;
  for (const FollowedAuthor& f : followed) {
    if (!f.id.empty()) ids.insert(f.id);
  }
  if (ids.empty()) return false;
  return std::any_of(
      paper.authors.begin(), paper.authors.end(), [&](const S2Author& a) {
        return !a.author_id.empty() && ids.count(a.author_id) > 0;
      });
}

}  // namespace arxiv_digest
