// Turning the papers a Rescore selected into jobs: one job (a new run) per
// announcement date, papers de-duplicated by id and renumbered 0..n-1 in
// source order, plus the dry run's token estimate. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/core/paper.h"

namespace arxiv_digest::api {

// One paper as found in a source run's papers hash.
struct SourcePaper {
  std::string run_id;  // the run it was read from
  std::string date;    // that run's announcement date
  Paper paper;
};

struct PlannedJob {
  std::string date;
  std::string parent_run;     // the first source run of this date
  std::vector<Paper> papers;  // positions 0..n-1
};

// Groups by date (ascending). Within a date the input order is kept (the
// caller passes papers in source order); a repeated arXiv id keeps its first
// occurrence.
std::vector<PlannedJob> PlanJobs(const std::vector<SourcePaper>& papers);

// The dry run's estimate: serialized paper bytes / 4, the usual
// characters-per-token rule of thumb for English.
int64_t EstimatePromptTokens(int64_t paper_json_bytes);

}  // namespace arxiv_digest::api
