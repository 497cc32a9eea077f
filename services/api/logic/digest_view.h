// Which published version of one (profile, date) digest a GetDigest
// request means. Pure; adapters/digest_store.h reads the versions and
// adapters/proto_views.h describes them in the gRPC messages.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace arxiv_digest::api {

// One published version (from the digest-meta hash).
struct VersionMeta {
  int version = 0;
  std::string run_id;
  int relevant_papers = 0;
  std::string published_at;
};

// Index into `versions` (ascending) of the requested version; 0 = the
// latest. NOT_FOUND names the profile, date and the latest version.
absl::StatusOr<size_t> ChooseVersion(const std::vector<VersionMeta>& versions,
                                     int requested, const std::string& profile,
                                     const std::string& date);

}  // namespace arxiv_digest::api
