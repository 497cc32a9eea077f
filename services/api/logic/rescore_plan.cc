#include "services/api/logic/rescore_plan.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "lib/core/ids.h"
#include "lib/json/json_util.h"

namespace arxiv_digest::api {

std::vector<RunRef> RunsForIds(std::vector<RunRef> runs) {
  runs.erase(std::remove_if(runs.begin(), runs.end(),
                            [](const RunRef& r) { return !r.kind.empty(); }),
             runs.end());
  std::sort(runs.begin(), runs.end(), [](const RunRef& a, const RunRef& b) {
    return a.date != b.date ? a.date > b.date : a.run_id < b.run_id;
  });
  return runs;
}

std::vector<RunRef> RunsForDates(std::vector<RunRef> runs,
                                 const std::string& from,
                                 const std::string& to) {
  runs.erase(std::remove_if(runs.begin(), runs.end(),
                            [&](const RunRef& r) {
                              return !r.kind.empty() || r.date < from ||
                                     r.date > to;
                            }),
             runs.end());
  std::sort(runs.begin(), runs.end(), [](const RunRef& a, const RunRef& b) {
    return a.date != b.date ? a.date < b.date : a.run_id < b.run_id;
  });
  return runs;
}

void SortByPosition(std::vector<Paper>& papers) {
  std::sort(papers.begin(), papers.end(), [](const Paper& a, const Paper& b) {
    return a.position < b.position;
  });
}

std::vector<PlannedJob> PlanJobs(std::vector<SourcePaper> papers) {
  std::map<std::string, PlannedJob> by_date;
  std::map<std::string, std::set<std::string>> seen;
  for (SourcePaper& s : papers) {
    PlannedJob& job = by_date[s.date];
    if (job.papers.empty() && job.parent_run.empty()) {
      job.date = s.date;
      job.parent_run = s.run_id;
    }
    if (!seen[s.date].insert(s.paper.arxiv_id).second) continue;
    Paper p = std::move(s.paper);
    p.position = static_cast<int64_t>(job.papers.size());
    job.papers.push_back(std::move(p));
  }
  std::vector<PlannedJob> jobs;
  jobs.reserve(by_date.size());
  for (auto& [date, job] : by_date) jobs.push_back(std::move(job));
  return jobs;
}

int64_t EstimatePromptTokens(int64_t paper_json_bytes) {
  return paper_json_bytes / 4;
}

RescoreResult Summarize(const std::vector<PlannedJob>& jobs,
                        const std::string& topics_override) {
  RescoreResult result;
  int64_t bytes = 0;
  for (const PlannedJob& job : jobs) {
    result.dates.push_back(job.date);
    result.papers += static_cast<int64_t>(job.papers.size());
    for (const Paper& p : job.papers) {
      bytes += static_cast<int64_t>(PaperToJson(p).size());
    }
  }
  result.estimated_prompt_tokens = EstimatePromptTokens(
      bytes + static_cast<int64_t>(topics_override.size()));
  return result;
}

char JobIdKind(const std::string& kind) {
  return kind == contract::run_kind::kProfile ? run_id_tag::kProfile
                                              : run_id_tag::kRescore;
}

RunManifest JobManifest(const std::string& run_id, const PlannedJob& job,
                        const RunManifest& parent,
                        const RescoreOptions& options) {
  RunManifest m;
  m.run_id = run_id;
  m.date = job.date;
  m.status = run_status::kFetching;
  m.kind = options.kind;
  m.parent_run = job.parent_run;
  m.profile = options.profile;
  m.total_papers = parent.total_papers;
  m.scanned_papers = parent.scanned_papers;
  m.papers_to_score = static_cast<int64_t>(job.papers.size());
  m.requested_at = options.requested_at;
  m.requested_by = options.requested_by;
  m.topics_override = options.topics_override;
  return m;
}

}  // namespace arxiv_digest::api
