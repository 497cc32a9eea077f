#include "services/fetcher/logic/backfill_cycle.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/log/log.h"
#include "services/fetcher/logic/backfill.h"
#include "services/fetcher/logic/empty_day.h"
#include "services/fetcher/logic/paper_selection.h"
#include "services/fetcher/logic/seen_filter.h"

namespace arxiv_digest {

namespace {
// Paper.feed and the metrics' category label of id-list backfills.
constexpr char kIdListFeed[] = "id_list";
}  // namespace

BackfillCycle::BackfillCycle(const Config& config, BackfillSource& source,
                             contract::RunWriter& writer, SeenStore& seen,
                             RunRecorder::IdGenerator make_run_id,
                             FetchObserver observer)
    : config_(config),
      source_(source),
      recorder_(writer, seen, std::move(make_run_id), observer),
      observer_(std::move(observer)) {}

absl::StatusOr<RunManifest> BackfillCycle::RunIds(
    const std::vector<std::string>& ids, const std::string& date) {
  absl::StatusOr<AtomResponse> response = source_.FetchIds(ids);
  auto report = [&](const std::string& kind, int64_t n) {
    if (observer_.on_feed_error && n > 0) {
      observer_.on_feed_error(kIdListFeed, kind, n);
    }
  };
  if (!response.ok()) {
    report(response.status().message().find("arXiv API error") !=
                   absl::string_view::npos
               ? "api_error"
               : "fetch",
           1);
    return absl::Status(response.status().code(),
                        absl::StrCat("id list: ", response.status().message()));
  }
  report("invalid_item", static_cast<int64_t>(response->entry_errors.size()));
  for (const std::string& e : response->entry_errors) {
    LogWarning("API entry skipped", {{"error", e}});
  }
  report("invalid_utf8", response->invalid_utf8);
  std::map<std::string, Paper> by_id;
  for (Paper& p : response->papers) by_id.emplace(p.arxiv_id, std::move(p));
  RunPlan plan;
  plan.date = date;
  plan.skip_delivered = false;
  std::vector<std::string> missing;
  for (const std::string& id : ids) {
    auto it = by_id.find(id);
    if (it == by_id.end()) {
      missing.push_back(id);
      continue;
    }
    Paper paper = std::move(it->second);
    paper.feed = kIdListFeed;
    plan.papers.push_back(std::move(paper));
  }
  if (!missing.empty()) {
    report("not_found", static_cast<int64_t>(missing.size()));
    LogWarning("ids not returned by the arXiv API",
               {{"ids", absl::StrJoin(missing, ",")}});
  }
  plan.total_papers = static_cast<int64_t>(ids.size());
  plan.scanned_papers = static_cast<int64_t>(plan.papers.size());
  plan.empty_reason = absl::StrCat("none of the ", ids.size(),
                                   " requested ids was found by the arXiv API");
  return recorder_.Record(std::move(plan));
}

absl::StatusOr<RunManifest> BackfillCycle::RunDates(const std::string& from,
                                                    const std::string& until,
                                                    bool force) {
  const std::vector<std::string>& entries = config_.filtering.arxiv_categories;
  absl::StatusOr<OaiHarvest> harvest =
      source_.HarvestDates(from, until, OaiSetsFor(entries));
  auto report = [&](const std::string& kind, int64_t n) {
    if (observer_.on_feed_error && n > 0)
      observer_.on_feed_error("oai", kind, n);
  };
  if (!harvest.ok()) {
    report(harvest.status().message().find("OAI-PMH error") !=
                   absl::string_view::npos
               ? "api_error"
               : "fetch",
           1);
    return absl::Status(harvest.status().code(),
                        absl::StrCat("OAI-PMH ", from, "..", until, ": ",
                                     harvest.status().message()));
  }
  report("invalid_item", static_cast<int64_t>(harvest->record_errors.size()));
  for (const std::string& e : harvest->record_errors) {
    LogWarning("OAI-PMH record skipped", {{"error", e}});
  }
  report("invalid_utf8", harvest->invalid_utf8);
  LogInfo("OAI-PMH harvest done",
          {{"from", from},
           {"until", until},
           {"pages", std::to_string(harvest->pages)},
           {"records", std::to_string(harvest->records.size())},
           {"deleted", std::to_string(harvest->deleted_records)}});

  HarvestSelection mapped =
      FeedsFromOaiRecords(harvest->records, entries, from, until);
  Selection selection = SelectPapers(mapped.feeds, config_.filtering);
  RunPlan plan;
  plan.date = until;
  plan.total_papers = selection.total_items;
  plan.scanned_papers = selection.scanned_papers;
  plan.papers = std::move(selection.papers);
  plan.skip_delivered = !force;
  plan.rescore_new_versions = RescoresNewVersions(config_.filtering);
  if (selection.total_items == 0) {
    plan.empty_reason =
        absl::StrCat("no announcements between ", from, " and ", until,
                     " in the configured "
                     "categories");
  } else if (plan.papers.empty()) {
    plan.empty_reason =
        NothingSelectedReason(selection.total_items, config_.filtering);
  }
  return recorder_.Record(std::move(plan));
}

}  // namespace arxiv_digest
