// Turns the LLM's scoring reply into Scores. The model is asked for JSONL
// ({ARXIVID, COMMENT, RELEVANCE, NOVELTY} per line) but replies vary: code
// fences, prose around the JSON, "}," line ends, a JSON array, several
// objects per line, numbers as strings, a cut-off last line. The parser keeps
// every usable object and reports each unusable one, so one bad line never
// costs the rest of the batch.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/ids.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

struct ParsedReply {
  std::vector<Score> scores;
  // One entry per unusable object/line, quoting it ("line 3: ...: {...}").
  std::vector<std::string> errors;
};

ParsedReply ParseScoringReply(std::string_view reply_text);

// "arXiv:2504.14960v2 " -> "2504.14960"; "hep-th/9901001v1" ->
// "hep-th/9901001"; also strips https://arxiv.org/abs/ and /pdf/ prefixes.
// Does not validate: ParseScoringReply checks the result with
// ArxivId::Parse (lib/core/ids.h).
std::string NormalizeArxivId(std::string_view raw);

}  // namespace arxiv_digest
