// One published version of a (profile, date) digest, as the publisher
// records it in the hash keys::DigestMeta(profile, date) (field "v<n>",
// value JSON) and the api reads it back. One codec, so the two agree: the
// publisher used to write published_at as epoch seconds while the api read
// an RFC 3339 string, and every version showed no publication time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace arxiv_digest::contract {

struct DigestVersionMeta {
  int version = 0;
  std::string run_id;
  int64_t relevant_papers = 0;
  std::string published_at;  // RFC 3339 UTC, e.g. 2025-04-22T06:00:00Z

  bool operator==(const DigestVersionMeta&) const = default;
};

// "v3" for version 3; VersionOfMetaField is its inverse (nullopt for any
// other field name, so foreign fields in the hash are skipped).
std::string DigestMetaField(int version);
std::optional<int> VersionOfMetaField(std::string_view field);

// Score of a date in the sorted set keys::DigestIndex(profile): YYYYMMDD,
// so ranges by date are ranges by score; 0 for what is not a date (a run
// published as "unknown-date" is still listed, first).
int64_t DigestIndexScore(std::string_view date);

std::string EncodeDigestMeta(const DigestVersionMeta& meta);
// `field` is the hash field ("v<n>"): the version comes from it. Validates
// the run id and the counts; published_at may be an RFC 3339 string or, as
// older publishers wrote it, epoch seconds (converted).
absl::StatusOr<DigestVersionMeta> DecodeDigestMeta(std::string_view field,
                                                   std::string_view json);

}  // namespace arxiv_digest::contract
