// One scorer replica's loop over the papers stream, as redis.io describes
// consumer groups: take over entries idle too long (XAUTOCLAIM) or read new
// ones (XREADGROUP), score them, append the scores, XACK only after that.
// An entry delivered too often goes to the dead-letter stream with its
// reason, and an unscored result is appended so the run can still finish.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "lib/config/config.h"
#include "lib/redis/redis_client.h"
#include "services/scorer/adapters/scorer_metrics.h"
#include "services/scorer/adapters/scoring_context.h"
#include "services/scorer/logic/scoring_backend.h"

namespace arxiv_digest {

struct ScorerWorkerOptions {
  std::string consumer = "scorer-1";
  std::chrono::milliseconds block{1000};
  // Pending entries idle this long belong to a dead or stuck replica.
  std::chrono::milliseconds claim_idle{60000};
  int max_deliveries = 5;
  // After a read returned fewer papers than a batch, wait up to this long
  // for more (the fetcher appends one paper at a time): fewer, fuller LLM
  // calls, each paying the static prompt once. 0 = send partial batches.
  std::chrono::milliseconds batch_fill{300};
  // Pause after the provider rejected the key, instead of hammering it.
  std::chrono::milliseconds auth_error_pause{30000};
};

class ScorerWorker {
 public:
  // Each run is scored with its profile's context (see scoring_context.h).
  ScorerWorker(RedisClient& redis,
               const std::map<std::string, Config>& profiles,
               ScoringContextFactory factory, ScorerMetrics& metrics,
               ScorerWorkerOptions options);

  absl::Status Init();  // creates the consumer group if needed
  // One read-score-append-ack round; returns how many entries it handled.
  absl::StatusOr<int> Step();
  // Steps until shutdown is requested.
  void Run();

 private:
  struct Work {
    std::string entry_id;
    std::string run_id;
    Paper paper;
  };
  absl::StatusOr<std::vector<StreamEntry>> NextEntries();
  absl::Status DeadLetter(const StreamEntry& entry, const std::string& reason);
  absl::Status AppendScore(const std::string& run_id, const Score& score);
  absl::Status ScoreRun(const std::string& run_id,
                        const std::vector<Work>& work);
  // The run's pre-filter threshold, agreed by all replicas through Redis.
  absl::StatusOr<int> PrefilterThresholdFor(const std::string& run_id,
                                            ScoringContext& context);
  // Parks an entry that can never succeed and records it as unscored.
  absl::Status GiveUp(const StreamEntry& entry, const std::string& run_id,
                      const std::string& arxiv_id, const std::string& reason);

  RedisClient& redis_;
  ScoringContexts contexts_;
  ScorerMetrics& metrics_;
  ScorerWorkerOptions options_;
};

}  // namespace arxiv_digest
