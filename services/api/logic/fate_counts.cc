#include "services/api/logic/fate_counts.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <string_view>

#include "lib/contract/paper_fate.h"

namespace arxiv_digest::api {
namespace {

// Position in contract::fate_stage::kInRunOrder; unknown stages last.
size_t OrderOf(std::string_view name) {
  const auto& order = contract::fate_stage::kInRunOrder;
  auto it = std::find_if(std::begin(order), std::end(order),
                         [name](const char* s) { return name == s; });
  return static_cast<size_t>(it - std::begin(order));
}

}  // namespace

FateSummary CountFates(const std::vector<std::string>& fate_records) {
  FateSummary summary;
  std::map<std::string, StageFateCount> by_stage;
  for (const std::string& record : fate_records) {
    absl::StatusOr<contract::PaperFate> fate =
        contract::DecodePaperFate(record);
    if (!fate.ok()) {
      ++summary.unreadable;
      continue;
    }
    StageFateCount& count = by_stage[fate->stage];
    count.stage = fate->stage;
    ++(fate->dropped ? count.dropped : count.kept);
  }
  for (auto& [name, count] : by_stage) {
    summary.stages.push_back(std::move(count));
  }
  std::stable_sort(summary.stages.begin(), summary.stages.end(),
                   [](const StageFateCount& a, const StageFateCount& b) {
                     return OrderOf(a.stage) < OrderOf(b.stage);
                   });
  return summary;
}

}  // namespace arxiv_digest::api
