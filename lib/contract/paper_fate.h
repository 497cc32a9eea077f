// What happened to each paper of a run, stage by stage, so "why is paper X
// missing?" has an answer: kept or dropped, by which selection stage, and
// why. The scorer writes one record per (run, paper) into the run's fates
// hash (arxiv id -> EncodePaperFate JSON); the publisher, the api and
// arxivctl read it. Field names are spelled only here. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace arxiv_digest::contract {

// Values of PaperFate::stage, in the order the stages run.
namespace fate_stage {
inline constexpr char kAuthorMatch[] = "author_match";  // followed author
inline constexpr char kHIndex[] = "h_index";            // Semantic Scholar
inline constexpr char kPrefilter[] = "prefilter";       // lexical pre-filter
inline constexpr char kCache[] = "cache";               // earlier LLM score
inline constexpr char kTitle[] = "title";               // LLM title stage
inline constexpr char kAbstract[] = "abstract";         // LLM scores
inline constexpr char kUnscored[] = "unscored";  // no usable score (lost)
// All of the above, in the order the stages run (for summaries).
inline constexpr const char* kInRunOrder[] = {
    kAuthorMatch, kHIndex, kPrefilter, kCache, kTitle, kAbstract, kUnscored};
}  // namespace fate_stage

namespace fate_field {
inline constexpr char kArxivId[] = "arxiv_id";
inline constexpr char kStage[] = "stage";
inline constexpr char kDropped[] = "dropped";
inline constexpr char kReason[] = "reason";
inline constexpr char kBestHIndex[] = "best_h_index";
}  // namespace fate_field

struct PaperFate {
  std::string arxiv_id;
  std::string stage;     // fate_stage::k*: the last stage that decided
  bool dropped = false;  // not in the digest because of that stage
  std::string reason;    // e.g. "relevance 5 < cutoff 8"
  // The best Semantic Scholar h-index among the authors, when looked up.
  std::optional<int> best_h_index;

  bool operator==(const PaperFate&) const = default;
};

std::string EncodePaperFate(const PaperFate& fate);
// InvalidArgument naming the field for a missing id/stage or bad JSON.
absl::StatusOr<PaperFate> DecodePaperFate(std::string_view json);

}  // namespace arxiv_digest::contract
