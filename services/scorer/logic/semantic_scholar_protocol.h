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

// Per requested paper: nullopt when S2 does not know it, else its authors'
// S2 ids (authors without an id left out). InvalidArgument for anything but
// an array of `expected` objects/nulls: the caller skips the stage.
absl::StatusOr<std::vector<std::optional<std::vector<std::string>>>>
ParseS2PaperBatch(std::string_view body, size_t expected);

// Per requested author: its hIndex, nullopt when unknown or absent.
absl::StatusOr<std::vector<std::optional<int>>> ParseS2AuthorBatch(
    std::string_view body, size_t expected);

// Cache values: a paper's author ids ("a,b,c"; "-" = unknown to S2) and
// an author's h-index ("-" = unknown).
std::string EncodeCachedAuthors(
    const std::optional<std::vector<std::string>>& authors);
std::optional<std::optional<std::vector<std::string>>> DecodeCachedAuthors(
    std::string_view value);
std::string EncodeCachedHIndex(const std::optional<int>& h_index);
std::optional<std::optional<int>> DecodeCachedHIndex(std::string_view value);

}  // namespace arxiv_digest
