#include "services/fetcher/logic/run_recorder.h"

#include "absl/strings/str_cat.h"
#include "lib/core/ids.h"
#include "lib/log/log.h"
#include "services/fetcher/logic/empty_day.h"
#include "services/fetcher/logic/seen_filter.h"

namespace arxiv_digest {

RunPlan PlanForSelection(Selection selection, const std::string& date,
                         const FilteringConfig& filtering, bool force,
                         const std::string& no_items_reason) {
  RunPlan plan;
  plan.date = date;
  plan.total_papers = selection.total_items;
  plan.scanned_papers = selection.scanned_papers;
  plan.papers = std::move(selection.papers);
  plan.skip_delivered = !force;
  plan.rescore_new_versions = RescoresNewVersions(filtering);
  if (selection.total_items == 0) {
    plan.empty_reason = no_items_reason;
  } else if (plan.papers.empty()) {
    plan.empty_reason = NothingSelectedReason(selection.total_items, filtering);
  }
  return plan;
}

RunRecorder::RunRecorder(contract::RunWriter& writer, SeenStore& seen,
                         IdGenerator make_run_id, FetchObserver observer)
    : writer_(writer),
      seen_(seen),
      make_run_id_(std::move(make_run_id)),
      observer_(std::move(observer)) {}

absl::StatusOr<RunManifest> RunRecorder::Record(RunPlan plan) {
  RunManifest manifest;
  manifest.date = plan.date.empty() ? kUnknownDate : plan.date;
  manifest.run_id =
      plan.run_id.empty() ? make_run_id_(manifest.date) : plan.run_id;
  manifest.kind = plan.kind;
  manifest.parent_run = plan.parent_run;
  manifest.profile = plan.profile;
  manifest.total_papers = plan.total_papers;
  manifest.scanned_papers = plan.scanned_papers;

  std::vector<Paper> papers = std::move(plan.papers);
  if (plan.skip_delivered && !papers.empty()) {
    std::vector<std::string> ids;
    ids.reserve(papers.size());
    for (const Paper& p : papers) ids.push_back(p.arxiv_id);
    absl::StatusOr<std::map<std::string, int>> delivered =
        seen_.DeliveredVersions(ids);
    // Without the memory we cannot tell duplicates apart: fail rather than
    // re-deliver a whole day (the next cycle retries).
    if (!delivered.ok()) {
      return absl::Status(delivered.status().code(),
                          absl::StrCat("reading delivered papers: ",
                                       delivered.status().message()));
    }
    SeenFilterResult filtered = FilterDelivered(std::move(papers), *delivered,
                                                plan.rescore_new_versions);
    papers = std::move(filtered.papers);
    manifest.skipped_seen = static_cast<int64_t>(filtered.skipped.size());
    if (manifest.skipped_seen > 0) {
      LogInfo("papers already delivered skipped",
              {{"skipped_seen", std::to_string(manifest.skipped_seen)},
               {"first", filtered.skipped.front().arxiv_id}});
      if (observer_.on_skipped_seen) {
        observer_.on_skipped_seen(manifest.skipped_seen);
      }
    }
  } else {
    for (size_t i = 0; i < papers.size(); ++i) {
      papers[i].position = static_cast<int64_t>(i);
    }
  }
  manifest.papers_to_score = static_cast<int64_t>(papers.size());

  if (papers.empty()) {
    // Weekends, holidays, unchanged feeds: an explicit status with a reason
    // instead of silence or an empty digest.
    manifest.status = run_status::kNoAnnouncements;
    manifest.reason = manifest.skipped_seen > 0
                          ? AllDeliveredReason(manifest.skipped_seen)
                          : plan.empty_reason;
    if (manifest.reason.empty()) manifest.reason = "no papers to score";
    if (absl::Status s = writer_.BeginRun(manifest); !s.ok()) return s;
    if (absl::Status s = writer_.FinishRun(manifest); !s.ok()) return s;
    return manifest;
  }

  manifest.status = run_status::kFetching;
  if (absl::Status s = writer_.BeginRun(manifest); !s.ok()) return s;
  // One write of the whole papers hash, then the stream entries: the run is
  // in Redis in a third of the round trips, so the scorers' first reads
  // find more of the day (fewer short chunks, fewer partial batches).
  if (absl::Status s = writer_.AppendPapers(manifest.run_id, papers); !s.ok()) {
    return s;
  }
  for (const Paper& paper : papers) {
    if (observer_.on_paper) observer_.on_paper(paper.feed, paper);
  }
  manifest.status = run_status::kFetched;
  if (absl::Status s = writer_.FinishRun(manifest); !s.ok()) return s;
  if (absl::Status s = seen_.MarkDelivered(papers); !s.ok()) {
    LogError(
        "could not remember delivered papers; a later run may deliver "
        "them again",
        {{"run_id", manifest.run_id}, {"error", std::string(s.message())}});
  }
  return manifest;
}

}  // namespace arxiv_digest
