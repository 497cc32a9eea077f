#include "services/fetcher/logic/profile_runs.h"

#include "absl/strings/str_cat.h"
#include "lib/contract/run_manifest.h"
#include "lib/log/log.h"
#include "services/fetcher/logic/run_recorder.h"

namespace arxiv_digest {

ProfileRuns::ProfileRuns(std::vector<ProfileReader> readers,
                         ProfileRunIndex& index, IdGenerator make_child_id)
    : readers_(std::move(readers)),
      index_(&index),
      make_child_id_(std::move(make_child_id)) {}

std::vector<const FilteringConfig*> ProfileRuns::WithReaders(
    const FilteringConfig& main) const {
  std::vector<const FilteringConfig*> all = {&main};
  for (const ProfileReader& r : readers_) all.push_back(&r.filtering);
  return all;
}

absl::Status ProfileRuns::Record(const DayOf& day_of, const std::string& date,
                                 const std::string& daily_run_id, bool force,
                                 contract::RunWriter& writer,
                                 const FetchObserver& observer) const {
  for (const ProfileReader& reader : readers_) {
    ProfileDay day = day_of(reader);
    RunPlan plan =
        PlanForSelection(SelectPapers(day.feeds, reader.filtering), date,
                         reader.filtering, force, day.no_items_reason);
    plan.kind = contract::run_kind::kProfile;
    plan.parent_run = daily_run_id;
    plan.profile = reader.name;
    RunRecorder recorder(writer, *reader.seen, make_child_id_, observer);
    absl::StatusOr<RunManifest> child = recorder.Record(std::move(plan));
    if (!child.ok()) {
      return absl::Status(child.status().code(),
                          absl::StrCat("profile ", reader.name, ": ",
                                       child.status().message()));
    }
    if (absl::Status s =
            index_->RecordProfileRun(daily_run_id, reader.name, child->run_id);
        !s.ok()) {
      return s;
    }
    LogInfo("profile run written",
            {{"run_id", daily_run_id},
             {"profile", reader.name},
             {"child_run", child->run_id},
             {"status", child->status},
             {"papers_to_score", std::to_string(child->papers_to_score)}});
  }
  return absl::OkStatus();
}

}  // namespace arxiv_digest
