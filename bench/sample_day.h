// A bundled day (data/sample/<day>) as the fetcher selects it, for the
// benchmarks that run the scorer's code in process: each configured feed
// parsed with the fetcher's parser and selected with its rules. Exits the
// program on a missing or malformed feed (a benchmark has no way around it).
#pragma once

#include <string>

#include "lib/config/config.h"
#include "services/fetcher/logic/paper_selection.h"

namespace arxiv_digest::bench {

Selection SelectSampleDay(const std::string& day, const Config& config);

}  // namespace arxiv_digest::bench
