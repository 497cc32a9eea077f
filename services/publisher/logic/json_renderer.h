// The digest's JSON dump ("scored" papers), byte for byte as the Python tool
// wrote it with json.dump(..., indent=4), and its reader.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/publisher/logic/paper_fates.h"
#include "services/publisher/logic/ranking.h"

namespace arxiv_digest {

// An object keyed by arXiv id, in `ranked` order. Per paper: SCORE, ARXIVID,
// COMMENT, RELEVANCE, NOVELTY (LLM scores only), authors, title, abstract,
// arxiv_id. Non-ASCII is escaped as \uXXXX. No trailing newline.
std::string RenderDigestJson(const std::vector<ScoredPaper>& ranked);

// The same with the run's paper fates (paper_fates.h) as a last member
// "fates" (kFatesMember) after the papers, so a reader of the file can tell
// why a paper is missing. Without fates: exactly the one above.
std::string RenderDigestJson(const std::vector<ScoredPaper>& ranked,
                             const std::vector<FinalFate>& fates);

// Reads a file written by RenderDigestJson (or the Python tool). Papers keep
// the file order, which also becomes Paper.position (0-based). A paper without
// RELEVANCE and NOVELTY is an author match whose SCORE is its score. The
// "fates" member (never an arXiv id) is not a paper and is skipped.
absl::StatusOr<std::vector<ScoredPaper>> ParseScoredJson(std::string_view text);

// Python's json.dumps(str) with ensure_ascii=True, quotes included.
std::string PythonJsonString(std::string_view utf8);

}  // namespace arxiv_digest
