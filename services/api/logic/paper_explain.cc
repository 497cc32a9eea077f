#include "services/api/logic/paper_explain.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/contract/paper_fate.h"
#include "lib/json/json_util.h"
#include "services/publisher/logic/json_renderer.h"

namespace arxiv_digest::api {

absl::StatusOr<FinalFate> ExplainPaperFate(
    const std::string& run_id, const std::string& arxiv_id,
    const PaperRecords& records,
    const std::optional<std::string>& digest_json) {
  std::optional<int> rank;  // nullopt: no digest yet
  if (digest_json.has_value()) {
    absl::StatusOr<std::optional<FinalFate>> published =
        FindFateInDigestJson(*digest_json, arxiv_id);
    if (!published.ok()) {
      return absl::DataLossError(
          absl::StrCat("run '", run_id, "': ", published.status().message()));
    }
    if (published->has_value()) return **std::move(published);
    // A digest from before fates: its order still gives the rank.
    absl::StatusOr<std::vector<ScoredPaper>> ranked =
        ParseScoredJson(*digest_json);
    if (!ranked.ok()) {
      return absl::DataLossError(absl::StrCat(
          "run '", run_id,
          "': its digest JSON is unreadable: ", ranked.status().message()));
    }
    rank = 0;
    for (size_t i = 0; i < ranked->size(); ++i) {
      if ((*ranked)[i].paper.arxiv_id == arxiv_id) {
        rank = static_cast<int>(i) + 1;
        break;
      }
    }
  }
  std::optional<contract::PaperFate> fate;
  if (records.fate_json.has_value()) {
    absl::StatusOr<contract::PaperFate> f =
        contract::DecodePaperFate(*records.fate_json);
    if (f.ok() && f->arxiv_id == arxiv_id) fate = *std::move(f);
  }
  std::optional<Score> score;
  if (records.score_json.has_value()) {
    absl::StatusOr<Score> s = ScoreFromJson(*records.score_json);
    if (s.ok()) score = *std::move(s);
  }
  const bool in_digest = rank.has_value() && *rank > 0;
  if (!records.in_run && !fate && !records.score_json && !in_digest) {
    return absl::NotFoundError(absl::StrCat(
        "paper '", arxiv_id, "' is not part of run '", run_id, "'"));
  }
  if (records.score_json.has_value() && !score && !in_digest) {
    FinalFate f;
    f.arxiv_id = arxiv_id;
    f.stage = final_stage::kUnreadable;
    f.dropped = rank.has_value();
    f.recorded = fate.has_value();
    if (fate) f.best_h_index = fate->best_h_index;
    f.reason = "the stored score is unreadable";
    return f;
  }
  return CombineFate(arxiv_id, fate ? &*fate : nullptr,
                     score ? &*score : nullptr, rank, nullptr);
}

}  // namespace arxiv_digest::api
