#include "services/fetcher/logic/seen_filter.h"

#include <algorithm>

namespace arxiv_digest {

SeenFilterResult FilterDelivered(std::vector<Paper> papers,
                                 const std::map<std::string, int>& delivered,
                                 bool rescore_new_versions) {
  SeenFilterResult result;
  for (Paper& paper : papers) {
    auto it = delivered.find(paper.arxiv_id);
    bool keep = it == delivered.end() ||
                (rescore_new_versions && paper.version > it->second);
    if (keep) {
      paper.position = static_cast<int64_t>(result.papers.size());
      result.papers.push_back(std::move(paper));
    } else {
      result.skipped.push_back(std::move(paper));
    }
  }
  return result;
}

bool RescoresNewVersions(const FilteringConfig& filtering) {
  const auto& types = filtering.announce_types;
  return std::find(types.begin(), types.end(), "replace") != types.end() ||
         std::find(types.begin(), types.end(), "replace-cross") != types.end();
}

}  // namespace arxiv_digest
