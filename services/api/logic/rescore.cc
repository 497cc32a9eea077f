#include "services/api/logic/rescore.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/core/ids.h"

namespace arxiv_digest::api {
namespace {

void Append(const RunRef& run, std::vector<Paper> papers,
            std::vector<SourcePaper>& out) {
  SortByPosition(papers);
  for (Paper& p : papers) {
    out.push_back(SourcePaper{run.run_id, run.date, std::move(p)});
  }
}

absl::StatusOr<std::vector<SourcePaper>> FromRun(RescoreStore& store,
                                                 const std::string& run_id) {
  absl::StatusOr<std::optional<RunManifest>> m = store.GetManifest(run_id);
  if (!m.ok()) return m.status();
  if (!m->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("run '", run_id, "' does not exist"));
  }
  absl::StatusOr<std::vector<Paper>> papers = store.PapersOfRun(run_id);
  if (!papers.ok()) return papers.status();
  if (papers->empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "run '", run_id, "' has no papers (status ", (*m)->status, ")"));
  }
  std::vector<SourcePaper> out;
  Append(RunRef{run_id, (*m)->date, (*m)->kind}, *std::move(papers), out);
  return out;
}

absl::StatusOr<std::vector<SourcePaper>> FromDates(
    RescoreStore& store, const std::vector<RunRef>& runs,
    const RescoreTarget& target) {
  std::vector<SourcePaper> out;
  for (const RunRef& r : RunsForDates(runs, target.from_date, target.to_date)) {
    absl::StatusOr<std::vector<Paper>> papers = store.PapersOfRun(r.run_id);
    if (!papers.ok()) return papers.status();
    Append(r, *std::move(papers), out);
  }
  if (out.empty()) {
    return absl::NotFoundError(absl::StrCat("no fetched papers between ",
                                            target.from_date, " and ",
                                            target.to_date));
  }
  return out;
}

absl::StatusOr<std::vector<SourcePaper>> FromIds(
    RescoreStore& store, const std::vector<RunRef>& runs,
    const RescoreTarget& target) {
  std::set<std::string> missing(target.ids.begin(), target.ids.end());
  std::map<std::string, SourcePaper> found;
  for (const RunRef& r : RunsForIds(runs)) {
    if (missing.empty()) break;
    absl::StatusOr<std::map<std::string, Paper>> papers = store.FindPapers(
        r.run_id, std::vector<std::string>(missing.begin(), missing.end()));
    if (!papers.ok()) return papers.status();
    for (auto& [id, paper] : *papers) {
      if (missing.erase(id) == 0) continue;  // not asked for
      found.emplace(id, SourcePaper{r.run_id, r.date, std::move(paper)});
    }
  }
  if (!missing.empty()) {
    return absl::NotFoundError(
        absl::StrCat("unknown arXiv ids (not in any fetched run): ",
                     absl::StrJoin(missing, ", ")));
  }
  // Request order is the source order for ids.
  std::vector<SourcePaper> out;
  for (const std::string& id : target.ids) {
    auto it = found.find(id);
    if (it != found.end()) out.push_back(it->second);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<SourcePaper>> CollectSources(
    RescoreStore& store, const RescoreTarget& target) {
  if (target.kind == RescoreTarget::Kind::kRun) {
    return FromRun(store, target.run_id);
  }
  absl::StatusOr<std::vector<RunRef>> runs = store.RunsWithPapers();
  if (!runs.ok()) return runs.status();
  if (target.kind == RescoreTarget::Kind::kDates) {
    return FromDates(store, *runs, target);
  }
  return FromIds(store, *runs, target);
}

absl::StatusOr<RescoreResult> CreateRescoreJobs(
    RescoreStore& store, const RescoreTarget& target,
    const RescoreOptions& options, const std::function<uint32_t()>& random,
    const AdmitRescore& admit) {
  absl::StatusOr<std::vector<SourcePaper>> papers =
      CollectSources(store, target);
  if (!papers.ok()) return papers.status();
  // Moved: a large target's papers are held once, not twice.
  std::vector<PlannedJob> jobs = PlanJobs(*std::move(papers));
  RescoreResult result = Summarize(jobs, options.topics_override);
  if (admit) {
    if (absl::Status s = admit(result); !s.ok()) return s;
  }
  if (options.dry_run) return result;
  for (PlannedJob& job : jobs) {
    absl::StatusOr<Date> date = Date::Parse(job.date);
    std::optional<Date> day;
    if (date.ok()) day = *date;
    std::string run_id =
        MakeRunId(day, JobIdKind(options.kind), random()).str();
    absl::StatusOr<std::optional<RunManifest>> parent =
        store.GetManifest(job.parent_run);
    if (!parent.ok()) return parent.status();
    JobRecord record;
    // A parent deleted meanwhile leaves the feed sizes 0.
    record.manifest =
        JobManifest(run_id, job, parent->value_or(RunManifest()), options);
    record.papers = std::move(job.papers);
    if (absl::Status s = store.WriteJob(record); !s.ok()) return s;
    result.job_ids.push_back(run_id);
  }
  return result;
}

RescoreOptions RescoreOptionsFor(const std::string& profile,
                                 const std::string& topics_override,
                                 bool dry_run, const std::string& requested_by,
                                 const std::string& requested_at) {
  RescoreOptions options;
  options.profile = profile;
  options.topics_override = topics_override;
  options.dry_run = dry_run;
  options.requested_by = requested_by;
  options.requested_at = requested_at;
  return options;
}

}  // namespace arxiv_digest::api
