// The Redis side of the scorer's ports (logic/score_batch.h): results go to
// the scores stream, the pre-filter threshold and the run's papers live
// under the run's keys.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "lib/redis/redis_client.h"
#include "services/scorer/logic/score_batch.h"

namespace arxiv_digest {

// How long fates (keys::RunFates) are kept until the publisher sets the
// run's retention on all its keys ([RETENTION] run_days, default 30).
inline constexpr std::chrono::hours kRunFatesTtl{24 * 30};

class RedisScoreSink : public ScoreSink {
 public:
  explicit RedisScoreSink(RedisClient& redis) : redis_(redis) {}
  absl::Status AppendScore(const std::string& run_id, const std::string& model,
                           const Score& score) override;
  absl::Status AppendUsage(const std::string& run_id,
                           const std::string& call_id, const std::string& model,
                           const TokenUsage& usage) override;
  // HSET into the run's fates hash (keys::RunFates), expiring with the run.
  absl::Status RecordFates(
      const std::string& run_id,
      const std::vector<contract::PaperFate>& fates) override;

 private:
  RedisClient& redis_;
};

class RedisRunInfo : public RunInfo {
 public:
  explicit RedisRunInfo(RedisClient& redis) : redis_(redis) {}
  // A stored value that is not a number counts as absent.
  absl::StatusOr<std::optional<int>> LoadPrefilterThreshold(
      const std::string& run_id) override;
  // Kept a week: longer than any run takes to finish.
  absl::StatusOr<bool> StorePrefilterThresholdIfAbsent(
      const std::string& run_id, int threshold) override;
  // Papers whose JSON does not parse are left out of the ranking.
  absl::StatusOr<std::vector<Paper>> RunPapers(
      const std::string& run_id) override;
  // HLEN of the run's papers hash (one round trip, no paper parsed).
  absl::StatusOr<int64_t> RunPaperCount(const std::string& run_id) override;

 private:
  RedisClient& redis_;
};

}  // namespace arxiv_digest
