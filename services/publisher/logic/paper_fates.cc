#include "services/publisher/logic/paper_fates.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "lib/json/json_util.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "services/publisher/logic/json_renderer.h"

namespace arxiv_digest {
namespace {

namespace stage = contract::fate_stage;
namespace ff = contract::fate_field;
namespace xf = final_fate_field;

std::string Numbers(const Score& score) {
  return absl::StrCat("relevance ", score.relevance, ", novelty ",
                      score.novelty);
}

// The stage that scored a paper, when the scorer left no record of it.
// A filtered score's comment is the seed tool's ("H-index filtered (max is
// 12<20)" or "Title filtered").
const char* ScoringStage(const Score& score) {
  if (score.filtered) {
    return score.comment.rfind("H-index", 0) == 0 ? stage::kHIndex
                                                  : stage::kTitle;
  }
  if (score.author_match) return stage::kAuthorMatch;
  if (score.cached) return stage::kCache;
  return stage::kAbstract;
}

// Why a paper is in the digest, in the scorer's words when it has them.
std::string KeptReason(const contract::PaperFate* scorer, const Score* score) {
  if (scorer != nullptr && !scorer->dropped && !scorer->reason.empty()) {
    return scorer->reason;
  }
  if (score == nullptr) return "";
  if (score->author_match) return "followed author";
  return Numbers(*score);
}

// "relevance 5 < 8, novelty 6 < 7" for the cut-offs a score misses; empty
// when it meets both (or is an author match, which no cut-off applies to).
std::string MissedCutoffs(const Score& score, const FilteringConfig& f) {
  if (score.author_match) return "";
  std::string out;
  if (score.relevance < f.relevance_cutoff) {
    absl::StrAppend(&out, "relevance ", score.relevance, " < ",
                    f.relevance_cutoff);
  }
  if (score.novelty < f.novelty_cutoff) {
    absl::StrAppend(&out, out.empty() ? "" : ", ", "novelty ", score.novelty,
                    " < ", f.novelty_cutoff);
  }
  return out;
}

// Not in the digest although the scorer had the paper: why.
FinalFate NotInDigest(FinalFate f, const contract::PaperFate* scorer,
                      const Score* score, const FilteringConfig* filtering) {
  f.dropped = true;
  if (scorer != nullptr && scorer->dropped) {
    f.stage = scorer->stage;
    f.reason = scorer->reason;
    return f;
  }
  if (score == nullptr) {
    // The scorer kept it, but no score reached the publisher.
    f.stage = scorer->stage;
    f.reason = absl::StrCat(scorer->reason, scorer->reason.empty() ? "" : "; ",
                            "no score reached the publisher");
    return f;
  }
  if (score->prefiltered) {
    f.stage = stage::kPrefilter;
    f.reason = score->error;
    return f;
  }
  if (score->filtered) {  // dropped by a selection stage, not the cut-off
    f.stage = ScoringStage(*score);
    f.reason = score->comment;
    return f;
  }
  if (!score->scored) {
    f.stage = stage::kUnscored;
    f.reason =
        score->error.empty() ? "the LLM never returned a score" : score->error;
    return f;
  }
  const std::string missed =
      filtering != nullptr ? MissedCutoffs(*score, *filtering) : "";
  f.stage = final_stage::kCutoff;
  if (!missed.empty()) {
    f.reason = absl::StrCat(Numbers(*score),
                            ": below the publisher's cut-off (", missed, ")");
  } else {
    // Only possible when the cut-offs are not known here.
    f.reason = absl::StrCat(Numbers(*score),
                            ": not selected by the publisher's cut-off");
  }
  return f;
}

}  // namespace

ScorerFates DecodeScorerFates(const std::map<std::string, std::string>& raw) {
  ScorerFates out;
  for (const auto& [id, json] : raw) {
    absl::StatusOr<contract::PaperFate> fate = contract::DecodePaperFate(json);
    if (!fate.ok()) {
      out.invalid.emplace_back(id, std::string(fate.status().message()));
      continue;
    }
    if (fate->arxiv_id != id) {
      out.invalid.emplace_back(
          id, absl::StrCat("fate record names paper '", fate->arxiv_id, "'"));
      continue;
    }
    out.by_id.emplace(id, *std::move(fate));
  }
  return out;
}

FinalFate CombineFate(const std::string& arxiv_id,
                      const contract::PaperFate* scorer, const Score* score,
                      std::optional<int> rank,
                      const FilteringConfig* filtering) {
  FinalFate f;
  f.arxiv_id = arxiv_id;
  f.recorded = scorer != nullptr;
  if (scorer != nullptr) f.best_h_index = scorer->best_h_index;
  if (scorer == nullptr && score == nullptr) {
    f.stage = final_stage::kNoRecord;
    f.dropped = rank.has_value() && *rank == 0;
    f.reason =
        "no record of this paper's selection in this run (a run from before "
        "fate records, or its score never reached the publisher)";
    return f;
  }
  if (rank.has_value() && *rank > 0) {
    f.in_digest = true;
    f.rank = *rank;
    f.stage = scorer != nullptr && !scorer->dropped ? scorer->stage
              : score != nullptr                    ? ScoringStage(*score)
                                                    : stage::kAbstract;
    f.reason = KeptReason(scorer, score);
    return f;
  }
  if (rank.has_value())
    return NotInDigest(std::move(f), scorer, score, filtering);
  // Not published yet: the scorer's word, nothing about the digest.
  if (scorer != nullptr) {
    f.stage = scorer->stage;
    f.dropped = scorer->dropped;
    f.reason = scorer->reason;
  } else {
    f.stage = ScoringStage(*score);
    f.dropped = !score->scored || score->filtered;
    f.reason = score->filtered ? score->comment
               : score->scored ? Numbers(*score)
                               : score->error;
  }
  absl::StrAppend(&f.reason, f.reason.empty() ? "" : "; ",
                  "the run is not published yet");
  return f;
}

std::vector<FinalFate> CombineFates(
    const std::map<std::string, std::string>& papers,
    const std::map<std::string, std::string>& scores, const ScorerFates& fates,
    const std::vector<ScoredPaper>& ranked, const FilteringConfig& filtering) {
  std::map<std::string, int> rank_of;
  for (size_t i = 0; i < ranked.size(); ++i) {
    rank_of.emplace(ranked[i].paper.arxiv_id, static_cast<int>(i) + 1);
  }
  std::set<std::string> ids;
  for (const auto& [id, json] : papers) ids.insert(id);
  for (const auto& [id, json] : scores) ids.insert(id);

  std::vector<FinalFate> out;
  out.reserve(ids.size());
  for (const std::string& id : ids) {
    auto fate = fates.by_id.find(id);
    const contract::PaperFate* scorer =
        fate == fates.by_id.end() ? nullptr : &fate->second;
    auto rank = rank_of.find(id);
    auto score_json = scores.find(id);
    std::optional<Score> score;
    if (score_json != scores.end()) {
      absl::StatusOr<Score> s = ScoreFromJson(score_json->second);
      if (!s.ok() && rank == rank_of.end()) {
        FinalFate f;
        f.arxiv_id = id;
        f.stage = final_stage::kUnreadable;
        f.dropped = true;
        f.recorded = scorer != nullptr;
        if (scorer != nullptr) f.best_h_index = scorer->best_h_index;
        f.reason = absl::StrCat("the stored score is unreadable: ",
                                s.status().message());
        out.push_back(std::move(f));
        continue;
      }
      if (s.ok()) score = *std::move(s);
    }
    out.push_back(CombineFate(id, scorer, score ? &*score : nullptr,
                              rank == rank_of.end() ? 0 : rank->second,
                              &filtering));
  }
  return out;
}

std::string RenderFatesJson(const std::vector<FinalFate>& fates) {
  if (fates.empty()) return "{}";
  const std::string i2(8, ' ');
  const std::string i3(12, ' ');
  std::string out = "{\n";
  for (size_t i = 0; i < fates.size(); ++i) {
    const FinalFate& f = fates[i];
    absl::StrAppend(&out, i2, PythonJsonString(f.arxiv_id), ": {\n", i3, "\"",
                    ff::kStage, "\": ", PythonJsonString(f.stage), ",\n", i3,
                    "\"", xf::kInDigest, "\": ", f.in_digest ? "true" : "false",
                    ",\n", i3, "\"", xf::kRank, "\": ", f.rank, ",\n", i3, "\"",
                    ff::kDropped, "\": ", f.dropped ? "true" : "false", ",\n",
                    i3, "\"", ff::kReason, "\": ", PythonJsonString(f.reason),
                    ",\n");
    if (f.best_h_index) {
      absl::StrAppend(&out, i3, "\"", ff::kBestHIndex, "\": ", *f.best_h_index,
                      ",\n");
    }
    absl::StrAppend(&out, i3, "\"", xf::kRecorded,
                    "\": ", f.recorded ? "true" : "false", "\n", i2, "}",
                    i + 1 < fates.size() ? ",\n" : "\n");
  }
  out += "    }";
  return out;
}

absl::StatusOr<std::optional<FinalFate>> FindFateInDigestJson(
    std::string_view digest_json, const std::string& arxiv_id) {
  rapidjson::Document doc;
  // Iterative: a deeply nested text must not exhaust the stack.
  doc.Parse<rapidjson::kParseValidateEncodingFlag |
            rapidjson::kParseIterativeFlag>(digest_json.data(),
                                            digest_json.size());
  if (doc.HasParseError()) {
    return absl::InvalidArgumentError(
        absl::StrCat("digest JSON: invalid at offset ", doc.GetErrorOffset(),
                     ": ", rapidjson::GetParseError_En(doc.GetParseError())));
  }
  if (!doc.IsObject()) {
    return absl::InvalidArgumentError("digest JSON: not an object");
  }
  const auto fates = doc.FindMember(kFatesMember);
  if (fates == doc.MemberEnd() || !fates->value.IsObject()) {
    return std::optional<FinalFate>();
  }
  const auto entry = fates->value.FindMember(arxiv_id.c_str());
  if (entry == fates->value.MemberEnd()) return std::optional<FinalFate>();
  const rapidjson::Value& v = entry->value;
  if (!v.IsObject()) {
    return absl::InvalidArgumentError(
        absl::StrCat("digest JSON: fate of ", arxiv_id, " is not an object"));
  }
  FinalFate f;
  f.arxiv_id = arxiv_id;
  std::optional<std::string> stage_name = GetString(v, ff::kStage);
  if (!stage_name || stage_name->empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("digest JSON: fate of ", arxiv_id, " has no stage"));
  }
  f.stage = *std::move(stage_name);
  f.in_digest = GetBool(v, xf::kInDigest).value_or(false);
  f.rank = static_cast<int>(GetInt(v, xf::kRank).value_or(0));
  f.dropped = GetBool(v, ff::kDropped).value_or(false);
  f.reason = GetString(v, ff::kReason).value_or("");
  if (std::optional<int64_t> h = GetInt(v, ff::kBestHIndex)) {
    f.best_h_index = static_cast<int>(*h);
  }
  f.recorded = GetBool(v, xf::kRecorded).value_or(false);
  return std::optional<FinalFate>(std::move(f));
}

}  // namespace arxiv_digest
