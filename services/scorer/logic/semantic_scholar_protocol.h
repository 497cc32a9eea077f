// Requests to and replies from the Semantic Scholar Graph API batch
// endpoints the h-index stage uses, and the cache values, without I/O:
//   POST /graph/v1/paper/batch?fields=authors   {"ids":["ARXIV:<id>",...]}
//   POST /graph/v1/author/batch?fields=hIndex   {"ids":["<author id>",...]}
// Both answer a JSON array in request order, null for unknown ids.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace arxiv_digest {

inline constexpr size_t kS2MaxPaperBatch = 500;    // API limit per request
inline constexpr size_t kS2MaxAuthorBatch = 1000;  // API limit per request
inline constexpr char kS2PaperBatchPath[] =
    "/graph/v1/paper/batch?fields=authors";
inline constexpr char kS2AuthorBatchPath[] =
    "/graph/v1/author/batch?fields=hIndex";

// {"ids":["ARXIV:2504.14960",...]}
std::string S2PaperBatchBody(const std::vector<std::string>& arxiv_ids);
// {"ids":["1751762",...]}
std::string S2AuthorBatchBody(const std::vector<std::string>& author_ids);

// An entry of a batch reply that is neither null nor of the documented
// shape (wrong types, missing fields). It costs only that entry: S2 is
// taken not to know that id, so the stages are skipped for it alone.
struct S2MalformedEntry {
  size_t index = 0;    // position in the request
  std::string reason;  // e.g. "authors is not an array"
};

struct S2PaperBatchReply {
  // Per requested paper: nullopt when S2 does not know it (null) or its
  // entry is malformed, else its authors' S2 ids (authors S2 has no
  // profile for, authorId null, left out).
  std::vector<std::optional<std::vector<std::string>>> authors;
  std::vector<S2MalformedEntry> malformed;
};

struct S2AuthorBatchReply {
  // Per requested author: its hIndex; nullopt when unknown (null entry,
  // hIndex null) or malformed.
  std::vector<std::optional<int>> h_indices;
  std::vector<S2MalformedEntry> malformed;
};

// InvalidArgument only when the reply as a whole is unusable (not JSON,
// too deep, not an array, not `expected` entries, which would misalign
// every id): the caller then skips the stages for the whole batch.
absl::StatusOr<S2PaperBatchReply> ParseS2PaperBatch(std::string_view body,
                                                    size_t expected);
absl::StatusOr<S2AuthorBatchReply> ParseS2AuthorBatch(std::string_view body,
                                                      size_t expected);

// Cache values: a paper's author ids ("a,b,c"; "-" = unknown to S2) and
// an author's h-index ("-" = unknown).
std::string EncodeCachedAuthors(
    const std::optional<std::vector<std::string>>& authors);
std::optional<std::optional<std::vector<std::string>>> DecodeCachedAuthors(
    std::string_view value);
std::string EncodeCachedHIndex(const std::optional<int>& h_index);
std::optional<std::optional<int>> DecodeCachedHIndex(std::string_view value);

}  // namespace arxiv_digest
