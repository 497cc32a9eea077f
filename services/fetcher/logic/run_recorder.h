// Turns a list of selected papers into a recorded run: de-duplication
// against earlier runs, then manifest / papers / final manifest through the
// RunWriter, then the papers marked as delivered. Shared by the daily cycle
// and the backfills so every path writes runs the same way.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "lib/core/paper.h"
#include "services/fetcher/logic/fetch_ports.h"
#include "services/fetcher/logic/paper_selection.h"

namespace arxiv_digest {

struct RunPlan {
  std::string date;  // YYYY-MM-DD of the announcements
  int64_t total_papers = 0;
  int64_t scanned_papers = 0;
  std::vector<Paper> papers;  // selected, unique by arxiv_id, in order
  // Skip papers delivered before (see FilterDelivered). Off for --force and
  // for explicit id lists.
  bool skip_delivered = true;
  bool rescore_new_versions = false;
  // Manifest reason when `papers` is empty (weekend, nothing matched...).
  std::string empty_reason;
  // Empty: a new id from the recorder's generator.
  std::string run_id;
  // A profile's child of a daily run (contract::run_kind::kProfile, the
  // daily run, the profile); empty for the daily run itself.
  std::string kind;
  std::string parent_run;
  std::string profile;
};

// The plan of a run of one reader's `selection` on `date`: its counts and
// papers, delivered papers skipped unless `force` (new versions as the
// reader's filtering says), and the reason it is empty: `no_items_reason`
// when the feeds held nothing, else what the reader's filter left out.
RunPlan PlanForSelection(Selection selection, const std::string& date,
                         const FilteringConfig& filtering, bool force,
                         const std::string& no_items_reason);

class RunRecorder {
 public:
  using IdGenerator = std::function<std::string(const std::string& date)>;

  RunRecorder(contract::RunWriter& writer, SeenStore& seen,
              IdGenerator make_run_id, FetchObserver observer = {});

  // Writes the run. Status fetched with papers, else no_announcements with
  // a reason. Papers are marked delivered after FinishRun: a failure there
  // is logged and the run still stands (a later duplicate is better than a
  // paper never delivered); a failure before it is returned.
  absl::StatusOr<RunManifest> Record(RunPlan plan);

 private:
  contract::RunWriter& writer_;
  SeenStore& seen_;
  IdGenerator make_run_id_;
  FetchObserver observer_;
};

}  // namespace arxiv_digest
