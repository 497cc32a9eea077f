// One scorer replica's handler of the papers stream, on the shared stream
// consumer (lib/redis/stream_consumer.h: own pending entries, then entries
// idle too long elsewhere, then new ones; XACK only after the scores are
// appended; dead-letter after max_deliveries, counted before parsing).
// Decoding and decisions are logic (contract::DecodePaperEntry, PlanBatch,
// ScoreRun); this adapter records unscored results for what is given up,
// and implements the use case's ports on Redis.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lib/config/config.h"
#include "lib/core/clock.h"
#include "lib/http/http_client.h"
#include "lib/redis/redis_client.h"
#include "lib/redis/stream_consumer.h"
#include "services/scorer/adapters/redis_scorer_ports.h"
#include "services/scorer/adapters/scorer_metrics.h"
#include "services/scorer/adapters/scoring_context.h"
#include "services/scorer/logic/batch_plan.h"
#include "services/scorer/logic/score_batch.h"

namespace arxiv_digest {

struct ScorerWorkerOptions {
  std::string consumer = "scorer-1";
  std::chrono::milliseconds block{1000};
  // Pending entries idle this long belong to a dead or stuck replica.
  // 0 = take them over at once (the --claim-idle-ms meaning; the stream
  // consumer's 0 would mean "never").
  std::chrono::milliseconds claim_idle{60000};
  int max_deliveries = 5;
  // After a read returned fewer papers than a batch, wait up to this long
  // for more while the run is still being fetched (the fetcher appends one
  // paper at a time): fewer, fuller LLM calls, each paying the static
  // prompt once. 0 = send partial batches.
  std::chrono::milliseconds batch_fill{300};
  // Pause after the provider rejected the key, instead of hammering it.
  std::chrono::milliseconds auth_error_pause{30000};
};

class ScorerWorker : public StreamHandler {
 public:
  // Each run is scored with its profile's context (see scoring_context.h).
  // keepalive_redis (may be null): a second connection on which the
  // entries of a batch being scored are renewed (PendingHeartbeat).
  ScorerWorker(RedisClient& redis,
               const std::map<std::string, Config>& profiles,
               ScoringContextFactory factory, ScorerMetrics& metrics,
               ScorerWorkerOptions options, Clock& clock = SystemClock(),
               RedisClient* keepalive_redis = nullptr);

  absl::Status Init();  // creates the consumer group if needed
  // One read-score-append-ack round; returns how many entries it handled.
  absl::StatusOr<int> Step();
  // Steps until shutdown is requested.
  void Run();

  // StreamHandler: decode, plan, score each run.
  absl::StatusOr<std::vector<EntryOutcome>> Handle(
      const std::vector<StreamEntry>& entries) override;
  // Records the unscored result from the raw run_id/arxiv_id fields; the
  // paper JSON of a possibly poisonous entry is never parsed.
  absl::Status OnGiveUp(const StreamEntry& entry,
                        const std::string& reason) override;
  // Topping up is worth it only while the run is still being fetched.
  bool WantsMore(const std::vector<StreamEntry>& so_far) override;

 private:
  // The unscored result of a given-up paper (if it names one), before the
  // entry is dead-lettered, so the run can still complete.
  absl::Status RecordUnscored(const GiveUp& give_up);
  EntryOutcome Park(const GiveUp& give_up);
  RunDisposition ScoreKeptAlive(const RunBatch& run);
  void PauseIfAsked();

  RedisClient& redis_;
  ScoringContexts contexts_;
  RedisScoreSink sink_;
  RedisRunInfo run_info_;
  ScoreObserver observer_;
  ScorerMetrics& metrics_;
  ScorerWorkerOptions options_;
  Clock& clock_;
  RedisClient* keepalive_redis_;
  // Semantic Scholar (h-index, followed author ids), when a profile needs
  // it; on its own HTTP client.
  std::unique_ptr<HttpClient> s2_http_;
  std::unique_ptr<SemanticScholarSource> s2_;
  StreamConsumer consumer_;
  bool pause_ = false;  // the provider rejected the key during the last step
};

}  // namespace arxiv_digest
