#include "lib/contract/paper_fate.h"

#include "absl/strings/str_cat.h"
#include "lib/contract/stream_entries.h"
#include "lib/json/json_util.h"

namespace arxiv_digest::contract {

namespace f = fate_field;

std::string EncodePaperFate(const PaperFate& fate) {
  std::string out =
      absl::StrCat("{\"", f::kArxivId, "\":", JsonQuote(fate.arxiv_id), ",\"",
                   f::kStage, "\":", JsonQuote(fate.stage), ",\"", f::kDropped,
                   "\":", fate.dropped ? "true" : "false", ",\"", f::kReason,
                   "\":", JsonQuote(fate.reason));
  if (fate.best_h_index) {
    absl::StrAppend(&out, ",\"", f::kBestHIndex, "\":", *fate.best_h_index);
  }
  out += "}";
  return out;
}

absl::StatusOr<PaperFate> DecodePaperFate(std::string_view json) {
  if (absl::Status s = CheckJsonBounds("fate", json, kMaxSmallJsonBytes);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<rapidjson::Document> doc = ParseJson(json, kMaxJsonDepth);
  if (!doc.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("fate: ", doc.status().message()));
  }
  if (!doc->IsObject()) {
    return absl::InvalidArgumentError("fate: not a JSON object");
  }
  PaperFate fate;
  std::optional<std::string> id = GetString(*doc, f::kArxivId);
  std::optional<std::string> stage = GetString(*doc, f::kStage);
  if (!id || id->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(f::kArxivId, ": missing"));
  }
  if (!stage || stage->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(f::kStage, ": missing"));
  }
  fate.arxiv_id = *std::move(id);
  fate.stage = *std::move(stage);
  fate.dropped = GetBool(*doc, f::kDropped).value_or(false);
  fate.reason = GetString(*doc, f::kReason).value_or("");
  if (std::optional<int64_t> h = GetInt(*doc, f::kBestHIndex)) {
    fate.best_h_index = static_cast<int>(*h);
  }
  return fate;
}

}  // namespace arxiv_digest::contract
