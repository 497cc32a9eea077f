// Parses responses of the arXiv query API (export.arxiv.org/api/query),
// an Atom feed, into Papers: the backfill / id_list path of the fetcher.
// Pure logic, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

struct AtomResponse {
  int64_t total_results = -1;  // opensearch:totalResults; -1 when absent
  int64_t start_index = 0;     // opensearch:startIndex
  int64_t items_per_page = 0;  // opensearch:itemsPerPage
  // In response order. announce_type is empty (the API has none);
  // categories start with arxiv:primary_category.
  std::vector<Paper> papers;
  std::vector<std::string> entry_errors;  // entries skipped (no id/title)
  int64_t invalid_utf8 = 0;  // invalid UTF-8 sequences replaced by U+FFFD
};

// Errors (InvalidArgument): malformed XML ("malformed feed XML: ... at
// offset N"), a root other than Atom <feed> ("unsupported feed format: root
// element <x>"), and the API's own error entry ("arXiv API error: <text>",
// e.g. for a malformed id_list).
absl::StatusOr<AtomResponse> ParseArxivAtom(std::string_view xml);

}  // namespace arxiv_digest
