#include "services/api/logic/rescore_plan.h"

#include <map>
#include <set>

namespace arxiv_digest::api {

std::vector<PlannedJob> PlanJobs(const std::vector<SourcePaper>& papers) {
  std::map<std::string, PlannedJob> by_date;
  std::map<std::string, std::set<std::string>> seen;
  for (const SourcePaper& s : papers) {
    PlannedJob& job = by_date[s.date];
    if (job.papers.empty() && job.parent_run.empty()) {
      job.date = s.date;
      job.parent_run = s.run_id;
    }
    if (!seen[s.date].insert(s.paper.arxiv_id).second) continue;
    Paper p = s.paper;
    p.position = static_cast<int64_t>(job.papers.size());
    job.papers.push_back(std::move(p));
  }
  std::vector<PlannedJob> jobs;
  for (auto& [date, job] : by_date) jobs.push_back(std::move(job));
  return jobs;
}

int64_t EstimatePromptTokens(int64_t paper_json_bytes) {
  return paper_json_bytes / 4;
}

}  // namespace arxiv_digest::api
