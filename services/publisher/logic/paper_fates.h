// The final fate of every paper of a run: the scorer's record of which
// selection stage kept or dropped it (contract::PaperFate, keys::RunFates)
// combined with the publisher's own outcome (SelectAndRank with the
// profile's cut-offs), so "why is paper X missing?" has one honest answer:
// in the digest at rank N, dropped by stage X and why, cut by the
// publisher's cut-off with the numbers, unscored, or no record at all.
// Pure. The publisher writes these into the digest JSON (json_renderer.h);
// the api answers ExplainPaper from them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "lib/contract/paper_fate.h"
#include "lib/core/paper.h"
#include "services/publisher/logic/ranking.h"

namespace arxiv_digest {

// The digest JSON's member holding the fates (never an arXiv id).
inline constexpr char kFatesMember[] = "fates";

// Stages only the publisher decides, next to contract::fate_stage::k*.
namespace final_stage {
// Scored and kept by the scorer, then below the publisher's cut-off.
inline constexpr char kCutoff[] = "cutoff";
// Nothing recorded for the paper: a run from before fate records, or a
// paper whose score never reached the publisher.
inline constexpr char kNoRecord[] = "no_record";
// The stored score could not be read, so the publisher left it out.
inline constexpr char kUnreadable[] = "unreadable";
}  // namespace final_stage

// Field names of one fate in the digest JSON, besides contract::fate_field.
namespace final_fate_field {
inline constexpr char kInDigest[] = "in_digest";
inline constexpr char kRank[] = "rank";
inline constexpr char kRecorded[] = "recorded";
}  // namespace final_fate_field

struct FinalFate {
  std::string arxiv_id;
  // contract::fate_stage::k* or final_stage::k*: the stage that decided.
  std::string stage;
  bool in_digest = false;
  int rank = 0;          // 1-based position in the digest; 0 = not in it
  bool dropped = false;  // left out of the digest by `stage`
  std::string reason;
  std::optional<int> best_h_index;
  bool recorded = false;  // the scorer left a fate record for the paper

  bool operator==(const FinalFate&) const = default;
};

// The scorer's fate records of one run, validated.
struct ScorerFates {
  std::map<std::string, contract::PaperFate> by_id;
  // (arxiv id, error) of records DecodePaperFate rejects or that name
  // another paper than their key; left out.
  std::vector<std::pair<std::string, std::string>> invalid;
};

// Decodes a fates hash (arxiv id -> EncodePaperFate JSON).
ScorerFates DecodeScorerFates(const std::map<std::string, std::string>& raw);

// One paper's final fate. `scorer` and `score` may be null (no record).
// `rank`: nullopt when the digest is not known (the run is not published:
// then nothing is said about the digest), 0 when the paper is not in it,
// else its 1-based position. `filtering` (may be null) gives the cut-off
// numbers for a paper the publisher cut.
FinalFate CombineFate(const std::string& arxiv_id,
                      const contract::PaperFate* scorer, const Score* score,
                      std::optional<int> rank,
                      const FilteringConfig* filtering);

// Every paper of a run (the keys of its papers and scores hashes, each as
// stored: JSON), in arxiv id order, with `ranked` the published digest.
std::vector<FinalFate> CombineFates(
    const std::map<std::string, std::string>& papers,
    const std::map<std::string, std::string>& scores, const ScorerFates& fates,
    const std::vector<ScoredPaper>& ranked, const FilteringConfig& filtering);

// The value of the digest JSON's "fates" member at indent level 1
// (json.dump(indent=4) style, like the rest of the file): an object keyed
// by arxiv id. "{}" when empty.
std::string RenderFatesJson(const std::vector<FinalFate>& fates);

// The fate of `arxiv_id` from a digest JSON text: nullopt when the file
// has no fates member (a digest published before fates) or no entry for
// the paper; InvalidArgument for a text that is not a JSON object or an
// entry without a string stage.
absl::StatusOr<std::optional<FinalFate>> FindFateInDigestJson(
    std::string_view digest_json, const std::string& arxiv_id);

}  // namespace arxiv_digest
