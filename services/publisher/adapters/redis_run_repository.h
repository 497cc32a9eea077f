// RunRepository on Redis: the manifest hash keys::Run(id), read and written
// through the contract's codec (lib/contract/run_manifest.h), the per-run
// papers/scores/usage hashes the fetcher and the publisher worker fill, and
// a publish lock per run. LoadRecords also reads the scorer's fate records
// (keys::RunFates) of the run's papers, at most kMaxFates of them.
// Finishing a run (published or failed) sets the run TTL ([RETENTION]
// run_days) on all its keys (keys::RunKeys).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lib/redis/redis_client.h"
#include "services/publisher/logic/publish_ports.h"

namespace arxiv_digest {

class RedisRunRepository : public RunRepository {
 public:
  explicit RedisRunRepository(
      RedisClient& redis,
      std::chrono::seconds run_ttl = std::chrono::hours(24 * 30))
      : redis_(redis), run_ttl_(run_ttl) {}

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

  // At most this many fate records are read per run, HMGET this many at a
  // time.
  static constexpr size_t kMaxFates = 20000;
  static constexpr size_t kFatesChunk = 500;

 private:
  // The fate records (keys::RunFates) of `papers`' ids that exist, the
  // first kMaxFates ids only; values unvalidated (AssembleDigest decodes
  // them and skips bad ones).
  absl::StatusOr<std::map<std::string, std::string>> LoadFates(
      const std::string& run_id,
      const std::map<std::string, std::string>& papers);

  // EXPIRE on every per-run key; missing keys are fine.
  absl::Status ExpireRun(const std::string& run_id);

  RedisClient& redis_;
  std::chrono::seconds run_ttl_;
};

}  // namespace arxiv_digest
