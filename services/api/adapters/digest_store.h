// Published digests in Redis, per the contract in lib/redis/keys.h:
// versioned texts, the per-date meta hash, the per-profile date index and
// the set of profiles with digests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/redis/redis_client.h"
#include "services/api/logic/digest_view.h"

namespace arxiv_digest::api {

class DigestStore {
 public:
  explicit DigestStore(RedisClient& redis) : redis_(redis) {}

  // SMEMBERS arxiv:profiles, sorted.
  absl::StatusOr<std::vector<std::string>> ProfilesWithDigests();

  // Versions of one date, ascending. A date published before versioning
  // (only arxiv:digest:<p>:<d>:md exists) reads as version 1 without meta.
  absl::StatusOr<std::vector<VersionMeta>> Versions(const std::string& profile,
                                                    const std::string& date);

  // Dates of the profile's index within [from, to] (empty = unbounded),
  // newest first, at most `limit` (0 = all).
  absl::StatusOr<std::vector<std::string>> Dates(const std::string& profile,
                                                 const std::string& from,
                                                 const std::string& to,
                                                 int limit = 0);

  // One text: ext md|json|html, unpacked (lib/redis/stored_text.h). Falls
  // back to the unversioned "latest" key (written by older publishers) when
  // `is_latest` and the versioned key is absent. A stored value that does
  // not unpack is DataLoss (ResourceExhausted past kMaxStoredTextBytes).
  absl::StatusOr<std::optional<std::string>> Text(const std::string& profile,
                                                  const std::string& date,
                                                  int version, bool is_latest,
                                                  const std::string& ext);

 private:
  RedisClient& redis_;
};

}  // namespace arxiv_digest::api
