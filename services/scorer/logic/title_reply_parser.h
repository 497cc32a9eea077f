// Turns the title stage's reply into the ids the model wants dropped. It is
// asked for a bare JSON list (["ID1", "ID2"]) but replies vary like the
// abstract replies do: code fences, prose around the list, single quotes,
// unquoted ids, "arXiv:" prefixes or versions. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace arxiv_digest {

struct TitleReply {
  std::vector<std::string> ids;      // valid, normalized ("2504.14960")
  std::vector<std::string> ignored;  // list items that are not arXiv ids
};

// The first bracketed list of the reply that names at least one arXiv id,
// else the first list at all (e.g. "[]": nothing to drop). InvalidArgument
// when the reply holds no list: the caller retries, then passes the
// batch's papers on.
absl::StatusOr<TitleReply> ParseTitleReply(std::string_view reply_text);

}  // namespace arxiv_digest
