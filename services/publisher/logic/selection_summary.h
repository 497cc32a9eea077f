// One sentence for the reader's page: how the run's papers were selected,
// stage by stage ("How the 506 papers were selected: 120 dropped by the
// h-index stage, 300 by the title stage, 48 by their scores; 38 in this
// digest."), so "where did the rest go?" is answered without arxivctl.
// Only the HTML page shows it: the markdown keeps the seed tool's layout.
// Pure.
#pragma once

#include <string>
#include <vector>

#include "services/publisher/logic/paper_fates.h"

namespace arxiv_digest {

// Empty without fates (a run from before fate records).
std::string SelectionSummary(const std::vector<FinalFate>& fates);

}  // namespace arxiv_digest
