// How long texts (rendered digests) are stored in Redis: gzip-compressed, so
// a year of digests per reader fits the shipped maxmemory several times over
// (a 506-paper day: markdown and HTML about 3x smaller, the JSON with every
// paper's fate 15x, 213 KB to 29 KB together). gzip rather than raw
// deflate so an operator can read a value with standard tools:
// `redis-cli --raw GET KEY | head -c -1 | gunzip` (--raw appends a newline).
// Values written before compression (plain text) still read back as they
// are. Pure: no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace arxiv_digest {

// Larger than any digest the publisher renders or the api may send (its
// gRPC send cap is 32 MiB); a stored value that inflates beyond it is
// refused instead of exhausting memory.
inline constexpr size_t kMaxStoredTextBytes = size_t{64} << 20;

// gzip of text (level 6). Never fails for inputs below 4 GiB.
std::string PackStoredText(std::string_view text);

// True when stored starts with the gzip magic bytes: no markdown, JSON or
// HTML text the publisher renders starts with 0x1f 0x8b.
bool IsPackedText(std::string_view stored);

// The text of a stored value: gunzipped when packed, else returned as is
// (legacy plain value). DataLoss when a packed value is corrupt or
// truncated, ResourceExhausted when it would inflate past max_bytes.
absl::StatusOr<std::string> UnpackStoredText(
    std::string_view stored, size_t max_bytes = kMaxStoredTextBytes);

}  // namespace arxiv_digest
