// How many papers each selection stage of a run decided, from the run's
// fate records (lib/contract/paper_fate.h), for GetRun and `arxivctl
// status`: the whole-run answer to "where did my papers go?", next to
// ExplainPaper's answer for one paper. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace arxiv_digest::api {

struct StageFateCount {
  std::string stage;  // contract::fate_stage::k*
  int64_t kept = 0;
  int64_t dropped = 0;
};

struct FateSummary {
  // In the order the stages run; stages a newer scorer records and this
  // api does not know come last, by name.
  std::vector<StageFateCount> stages;
  int64_t unreadable = 0;  // records that do not decode
};

FateSummary CountFates(const std::vector<std::string>& fate_records);

}  // namespace arxiv_digest::api
