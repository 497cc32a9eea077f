#include "services/scorer/logic/batch_plan.h"

#include <map>

namespace arxiv_digest {

GiveUp GiveUpPaper(const std::string& entry_id, const std::string& run_id,
                   const std::string& arxiv_id, const std::string& reason) {
  GiveUp g{entry_id, reason, run_id, std::nullopt};
  if (!run_id.empty() && !arxiv_id.empty()) {
    Score lost;
    lost.arxiv_id = arxiv_id;
    lost.scored = false;
    lost.error = "dead-lettered: " + reason;
    g.unscored = lost;
  }
  return g;
}

BatchPlan PlanBatch(const std::vector<ReadEntry>& entries) {
  BatchPlan plan;
  std::map<std::string, size_t> run_index;
  for (const ReadEntry& e : entries) {
    if (!e.decoded.ok()) {
      // A malformed entry can never succeed: park it with the reason.
      plan.give_ups.push_back(GiveUpPaper(
          e.id, "", "",
          "malformed entry: " + std::string(e.decoded.status().message())));
      continue;
    }
    const std::string& run_id = e.decoded->run_id.str();
    auto [it, added] = run_index.emplace(run_id, plan.runs.size());
    if (added) plan.runs.push_back(RunBatch{run_id, {}});
    plan.runs[it->second].work.push_back(RunWork{e.id, e.decoded->paper});
  }
  return plan;
}

}  // namespace arxiv_digest
