// DigestStore on the output folder and Redis: each format as a file (when
// the profile's [OUTPUT] asks for it) and as Redis strings under the
// versioned and the "latest" key, plus the version bookkeeping (the
// per-date meta hash, the per-profile date index, the set of profiles).
// Latest copies of the seed layout (output.md) are written only for the
// profile's newest date.
// Retention ([RETENTION] digest_days): every digest key and meta hash is
// written with that TTL, and each Store drops index dates more than
// digest_days before the stored date. What stays is compact: only the
// rendered texts (md, json, html) and the meta record; the run's bulky
// data (papers, scores, usage, stream entries) goes after run_days.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "lib/core/clock.h"
#include "lib/redis/redis_client.h"
#include "services/publisher/logic/publish_ports.h"

namespace arxiv_digest {

class RedisDigestStore : public DigestStore {
 public:
  // Files go under output_path; clock stamps published_at.
  RedisDigestStore(RedisClient& redis, std::string output_path, Clock& clock,
                   int digest_days = 365);

  absl::StatusOr<bool> TryLockVersions(const std::string& profile,
                                       const std::string& date,
                                       const std::string& owner) override;
  void ReleaseVersions(const std::string& profile,
                       const std::string& date) override;
  absl::StatusOr<int> NextVersion(const std::string& profile,
                                  const std::string& date) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Store(
      const AssembledDigest& digest) override;

 private:
  // True when no later date of `profile` has a digest (latest copies).
  absl::StatusOr<bool> IsNewestDate(const std::string& profile,
                                    const std::string& date);

  RedisClient& redis_;
  std::string output_dir_;  // empty or ending in '/'
  Clock& clock_;
  int digest_days_;
};

}  // namespace arxiv_digest
