// Cross-day de-duplication: which selected papers were already delivered by
// an earlier run. Pure logic; the memory itself is a SeenStore (Redis).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "lib/config/config.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

struct SeenFilterResult {
  std::vector<Paper> papers;   // to deliver, positions renumbered 0..n-1
  std::vector<Paper> skipped;  // delivered before (same or newer version)
};

// A paper never delivered is kept. A delivered one is kept again only when
// `rescore_new_versions` and its version is higher than the delivered one
// (a replacement, recognised by its version-less id); otherwise skipped.
SeenFilterResult FilterDelivered(std::vector<Paper> papers,
                                 const std::map<std::string, int>& delivered,
                                 bool rescore_new_versions);

// True when announce_type asks for replacements (replace, replace-cross):
// then a new version of a delivered paper is scored again.
bool RescoresNewVersions(const FilteringConfig& filtering);

}  // namespace arxiv_digest
