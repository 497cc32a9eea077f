#include "services/fetcher/logic/backfill_cycle.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/log/log.h"
#include "services/fetcher/logic/backfill.h"
#include "services/fetcher/logic/paper_selection.h"
#include "services/fetcher/logic/profile_feeds.h"

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
      writer_(writer),
      make_run_id_(make_run_id),
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
  // The default profile's sets first, so its harvest is the one it had
  // before profiles were served.
  absl::StatusOr<OaiHarvest> harvest = source_.HarvestDates(
      from, until,
      OaiSetsFor(UnionFeedEntries(profiles_.WithReaders(config_.filtering))));
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
  const std::string no_items_reason =
      absl::StrCat("no announcements between ", from, " and ", until,
                   " in the configured categories");
  RunPlan plan = PlanForSelection(std::move(selection), until,
                                  config_.filtering, force, no_items_reason);
  if (!profiles_.empty()) {
    // Children first, as in the daily cycle: when the run is announced the
    // api's fan-out must find every profile served.
    plan.run_id = make_run_id_(plan.date);
    auto day_of = [&](const ProfileReader& reader) {
      return ProfileDay{
          FeedsFromOaiRecords(harvest->records,
                              reader.filtering.arxiv_categories, from, until)
              .feeds,
          no_items_reason};
    };
    if (absl::Status s = profiles_.Record(day_of, plan.date, plan.run_id, force,
                                          writer_, observer_);
        !s.ok()) {
      return s;
    }
  }
  return recorder_.Record(std::move(plan));
}

void BackfillCycle::ServeProfiles(std::vector<ProfileReader> readers,
                                  ProfileRunIndex& index,
                                  ProfileRuns::IdGenerator make_child_id) {
  profiles_ = ProfileRuns(std::move(readers), index, std::move(make_child_id));
}

}  // namespace arxiv_digest
