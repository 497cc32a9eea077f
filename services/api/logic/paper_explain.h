// ExplainPaper's rule: one paper's final fate in one run from what Redis
// holds for it (the scorer's fate record, its score, whether the run has
// the paper) and the run's published digest JSON. A digest published with
// fates (the publisher's "fates" member, services/publisher/logic/
// paper_fates.h) answers as published; an older digest gives the rank and
// the scorer's record the rest; an unpublished run the scorer's record
// only. Pure.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "services/publisher/logic/paper_fates.h"

namespace arxiv_digest::api {

// What the run's hashes hold for one paper (nullopt: no field).
struct PaperRecords {
  std::optional<std::string> fate_json;   // keys::RunFates
  std::optional<std::string> score_json;  // keys::RunScores
  bool in_run = false;                    // keys::RunPapers has the paper
};

// `digest_json`: the run's published digest JSON, nullopt when the run is
// not published. NOT_FOUND when nothing says the paper belongs to the run;
// DATA_LOSS when the stored digest JSON cannot be read. Unreadable fate or
// score records count as absent.
absl::StatusOr<FinalFate> ExplainPaperFate(
    const std::string& run_id, const std::string& arxiv_id,
    const PaperRecords& records, const std::optional<std::string>& digest_json);

}  // namespace arxiv_digest::api
