// RunRepository on Redis: the manifest hash keys::Run(id), read and written
// through the contract's codec (lib/contract/run_manifest.h), the per-run
// papers/scores/usage hashes the fetcher and the publisher worker fill, and
// a publish lock per run.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lib/redis/redis_client.h"
#include "services/publisher/logic/publish_ports.h"

namespace arxiv_digest {

class RedisRunRepository : public RunRepository {
 public:
  explicit RedisRunRepository(RedisClient& redis) : redis_(redis) {}

  absl::StatusOr<RunState> LoadManifest(const std::string& run_id) override;
  absl::StatusOr<int64_t> CountScores(const std::string& run_id) override;
  absl::StatusOr<RunRecords> LoadRecords(const std::string& run_id) override;
  absl::Status MarkFailed(const std::string& run_id,
                          const std::string& error) override;
  absl::Status MarkPublished(
      const std::string& run_id,
      const std::vector<std::pair<std::string, std::string>>& fields) override;
  absl::StatusOr<bool> TryLockPublish(const std::string& run_id) override;
  void ReleasePublish(const std::string& run_id) override;

 private:
  RedisClient& redis_;
};

}  // namespace arxiv_digest
