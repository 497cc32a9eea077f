#include "services/api/adapters/rescore_jobs.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/core/paper.h"
#include "lib/json/json_util.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"
#include "services/api/logic/run_view.h"
#include "services/api/logic/validation.h"

namespace arxiv_digest::api {
namespace {

constexpr char kRunPrefix[] = "arxiv:run:";
constexpr char kPapersSuffix[] = ":papers";

std::string Get(const Manifest& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}

}  // namespace

absl::StatusOr<std::vector<RescoreJobs::RunRef>> RescoreJobs::RunsWithPapers() {
  std::vector<RunRef> runs;
  std::string cursor = "0";
  do {
    absl::StatusOr<RedisReply> r =
        redis_.Command({"SCAN", cursor, "MATCH", keys::Run("*") + kPapersSuffix,
                        "COUNT", "1000"});
    if (!r.ok()) return r.status();
    if (r->elements.size() != 2) {
      return absl::InternalError("unexpected SCAN reply");
    }
    cursor = r->elements[0].str;
    for (const RedisReply& key : r->elements[1].elements) {
      const std::string& k = key.str;
      if (!absl::StartsWith(k, kRunPrefix) ||
          !absl::EndsWith(k, kPapersSuffix)) {
        continue;
      }
      std::string id =
          k.substr(sizeof(kRunPrefix) - 1, k.size() - (sizeof(kRunPrefix) - 1) -
                                               (sizeof(kPapersSuffix) - 1));
      if (IsValidRunId(id)) runs.push_back(RunRef{id, "", ""});
    }
  } while (cursor != "0");
  for (RunRef& run : runs) {
    absl::StatusOr<RedisReply> r =
        redis_.Command({"HMGET", keys::Run(run.run_id), "date", "kind"});
    if (!r.ok()) return r.status();
    if (r->elements.size() == 2) {
      run.date = r->elements[0].str;
      run.kind = r->elements[1].str;
    }
  }
  // Newest date first, then by id: ids are looked up in the newest run.
  std::sort(runs.begin(), runs.end(), [](const RunRef& a, const RunRef& b) {
    return a.date != b.date ? a.date > b.date : a.run_id < b.run_id;
  });
  return runs;
}

absl::StatusOr<std::vector<SourcePaper>> RescoreJobs::PapersOfRun(
    const RunRef& run) {
  absl::StatusOr<Manifest> hash = redis_.HGetAll(keys::RunPapers(run.run_id));
  if (!hash.ok()) return hash.status();
  std::vector<SourcePaper> papers;
  for (const auto& [id, json] : *hash) {
    absl::StatusOr<Paper> p = PaperFromJson(json);
    if (!p.ok()) {
      LogWarning("skipping unreadable paper",
                 {{"run_id", run.run_id}, {"arxiv_id", id}});
      continue;
    }
    papers.push_back(SourcePaper{run.run_id, run.date, *std::move(p)});
  }
  std::sort(papers.begin(), papers.end(),
            [](const SourcePaper& a, const SourcePaper& b) {
              return a.paper.position < b.paper.position;
            });
  return papers;
}

absl::StatusOr<std::vector<SourcePaper>> RescoreJobs::Collect(
    const RescoreTarget& target) {
  if (target.kind == RescoreTarget::Kind::kRun) {
    absl::StatusOr<Manifest> m = redis_.HGetAll(keys::Run(target.run_id));
    if (!m.ok()) return m.status();
    if (m->empty()) {
      return absl::NotFoundError(
          absl::StrCat("run '", target.run_id, "' does not exist"));
    }
    RunRef ref{target.run_id, Get(*m, "date"), Get(*m, "kind")};
    absl::StatusOr<std::vector<SourcePaper>> papers = PapersOfRun(ref);
    if (!papers.ok()) return papers.status();
    if (papers->empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("run '", target.run_id, "' has no papers (status ",
                       Get(*m, "status"), ")"));
    }
    return papers;
  }
  absl::StatusOr<std::vector<RunRef>> runs = RunsWithPapers();
  if (!runs.ok()) return runs.status();
  std::vector<SourcePaper> out;
  if (target.kind == RescoreTarget::Kind::kDates) {
    // Date ascending, runs by id, papers by position: "source order".
    std::vector<RunRef> selected;
    for (const RunRef& r : *runs) {
      if (r.kind.empty() && r.date >= target.from_date &&
          r.date <= target.to_date) {
        selected.push_back(r);
      }
    }
    std::sort(selected.begin(), selected.end(),
              [](const RunRef& a, const RunRef& b) {
                return a.date != b.date ? a.date < b.date : a.run_id < b.run_id;
              });
    for (const RunRef& r : selected) {
      absl::StatusOr<std::vector<SourcePaper>> papers = PapersOfRun(r);
      if (!papers.ok()) return papers.status();
      out.insert(out.end(), papers->begin(), papers->end());
    }
    if (out.empty()) {
      return absl::NotFoundError(absl::StrCat("no fetched papers between ",
                                              target.from_date, " and ",
                                              target.to_date));
    }
    return out;
  }
  // Ids: each from the newest fetched run that has it.
  std::set<std::string> missing(target.ids.begin(), target.ids.end());
  std::map<std::string, SourcePaper> found;
  for (const RunRef& r : *runs) {
    if (missing.empty()) break;
    if (!r.kind.empty()) continue;
    std::vector<std::string> args = {"HMGET", keys::RunPapers(r.run_id)};
    std::vector<std::string> wanted(missing.begin(), missing.end());
    args.insert(args.end(), wanted.begin(), wanted.end());
    absl::StatusOr<RedisReply> reply = redis_.Command(args);
    if (!reply.ok()) return reply.status();
    for (size_t i = 0; i < wanted.size() && i < reply->elements.size(); ++i) {
      if (reply->elements[i].IsNil()) continue;
      absl::StatusOr<Paper> p = PaperFromJson(reply->elements[i].str);
      if (!p.ok()) continue;
      found.emplace(wanted[i], SourcePaper{r.run_id, r.date, *std::move(p)});
      missing.erase(wanted[i]);
    }
  }
  if (!missing.empty()) {
    return absl::NotFoundError(
        absl::StrCat("unknown arXiv ids (not in any fetched run): ",
                     absl::StrJoin(missing, ", ")));
  }
  // Request order is the source order for ids.
  for (const std::string& id : target.ids) {
    auto it = found.find(id);
    if (it != found.end()) out.push_back(it->second);
  }
  return out;
}

absl::StatusOr<std::string> RescoreJobs::WriteJob(
    const PlannedJob& job, const RescoreOptions& options) {
  std::string run_id =
      MakeRunId(job.date, options.kind == "profile" ? 'p' : 'r', random_());
  absl::StatusOr<Manifest> parent = redis_.HGetAll(keys::Run(job.parent_run));
  if (!parent.ok()) return parent.status();
  std::vector<std::pair<std::string, std::string>> manifest = {
      {"run_id", run_id},
      {"date", job.date},
      {"status", run_status::kFetching},
      {"kind", options.kind},
      {"parent_run", job.parent_run},
      {"profile", options.profile},
      {"total_papers", Get(*parent, "total_papers")},
      {"scanned_papers", Get(*parent, "scanned_papers")},
      {"papers_to_score", std::to_string(job.papers.size())},
      {"requested_at", options.requested_at},
      {"requested_by", options.requested_by}};
  if (!options.topics_override.empty()) {
    manifest.emplace_back("topics_override", options.topics_override);
  }
  if (absl::Status s = redis_.HSet(keys::Run(run_id), manifest); !s.ok()) {
    return s;
  }
  std::vector<std::pair<std::string, std::string>> papers;
  for (const Paper& p : job.papers) {
    papers.emplace_back(p.arxiv_id, PaperToJson(p));
  }
  if (absl::Status s = redis_.HSet(keys::RunPapers(run_id), papers); !s.ok()) {
    return s;
  }
  for (const auto& [id, json] : papers) {
    absl::StatusOr<std::string> added =
        redis_.XAdd(keys::PapersStream(), {{"run_id", run_id},
                                           {"arxiv_id", id},
                                           {"paper", json},
                                           {"profile", options.profile}});
    if (!added.ok()) return added.status();
  }
  // Like the fetcher: "fetched" only once every paper is on the stream, so
  // the publisher never sees a complete-looking partial run.
  if (absl::Status s =
          redis_.HSet(keys::Run(run_id), {{"status", run_status::kFetched}});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> announced =
      redis_.XAdd(keys::RunsStream(),
                  {{"run_id", run_id}, {"status", run_status::kFetched}});
  if (!announced.ok()) return announced.status();
  return run_id;
}

absl::StatusOr<RescoreResult> RescoreJobs::Create(
    const RescoreTarget& target, const RescoreOptions& options) {
  absl::StatusOr<std::vector<SourcePaper>> papers = Collect(target);
  if (!papers.ok()) return papers.status();
  std::vector<PlannedJob> jobs = PlanJobs(*papers);
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
      bytes + static_cast<int64_t>(options.topics_override.size()));
  if (options.dry_run) return result;
  for (const PlannedJob& job : jobs) {
    absl::StatusOr<std::string> id = WriteJob(job, options);
    if (!id.ok()) return id.status();
    result.job_ids.push_back(*id);
  }
  return result;
}

}  // namespace arxiv_digest::api
