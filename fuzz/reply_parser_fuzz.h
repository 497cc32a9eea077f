// The body of the LLM-reply fuzz target, shared with the ctest regression
// that replays the seed corpus and deterministic mutations under the normal
// build (tests/chaos/parser_mutation_test.cc). Header-only.
//
// The input is tried both as a chat-completions HTTP body
// (ParseChatCompletionResponse, then its content) and as the reply content
// itself (ParseScoringReply). Invariants besides "no crash / no sanitizer
// report": every score the parser keeps names a valid version-less arXiv id
// and has relevance and novelty within 1..10, since the publisher ranks and
// renders them without checking again.
#pragma once

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "lib/core/ids.h"
#include "services/scorer/logic/openai_protocol.h"
#include "services/scorer/logic/reply_parser.h"

namespace arxiv_digest::fuzz {

// Returns "" when every invariant holds, else what failed.
inline std::string CheckReply(std::string_view content) {
  const ParsedReply parsed = ParseScoringReply(content);
  for (const Score& s : parsed.scores) {
    // A kept score's id is a valid, version-less arXiv id (the parser
    // strips a vN suffix).
    absl::StatusOr<ArxivId> id = ArxivId::Parse(s.arxiv_id);
    if (!id.ok() || id->version() != 0) {
      return absl::StrCat("kept a score with an invalid id: '", s.arxiv_id,
                          "'");
    }
    if (s.relevance < 1 || s.relevance > 10 || s.novelty < 1 ||
        s.novelty > 10) {
      return absl::StrCat("score out of 1..10 for ", s.arxiv_id, ": ",
                          s.relevance, "/", s.novelty);
    }
    if (NormalizeArxivId(s.arxiv_id) != s.arxiv_id) {
      return absl::StrCat("kept id is not normalised: ", s.arxiv_id);
    }
  }
  return "";
}

inline std::string RunReplyParsers(std::string_view input) {
  if (std::string failure = CheckReply(input); !failure.empty()) {
    return failure;
  }
  absl::StatusOr<ChatCompletion> completion =
      ParseChatCompletionResponse(std::string(input));
  if (completion.ok()) {
    if (completion->usage.prompt_tokens < 0 ||
        completion->usage.completion_tokens < 0 ||
        completion->usage.cached_tokens < 0) {
      return "negative token usage accepted";
    }
    return CheckReply(completion->content);
  }
  return "";
}

}  // namespace arxiv_digest::fuzz
