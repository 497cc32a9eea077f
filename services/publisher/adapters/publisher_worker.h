// The publisher's loop on two stream consumers (lib/redis/stream_consumer.h)
// in the "publishers" group:
//   scores  store each result idempotently per (run, paper) — a paper scored
//           twice is stored once — and ack after storing;
//   runs    manifests that announce a run's size (or its end); their handler
//           tries to publish every run touched in this step, then acks, so a
//           crash in between re-reads them (publishing is idempotent).
// A periodic sweep of the latest manifests catches runs completed while
// this replica was down. Entries are decoded with the contract's codecs;
// malformed ones are logged and acked (they can never succeed).
#pragma once

#include <chrono>
#include <set>
#include <string>

#include "lib/core/clock.h"
#include "lib/core/ids.h"
#include "lib/redis/redis_client.h"
#include "lib/redis/stream_consumer.h"
#include "services/publisher/adapters/publisher_metrics.h"
#include "services/publisher/adapters/run_publisher.h"

namespace arxiv_digest {

struct PublisherWorkerOptions {
  std::string consumer = "publisher-1";
  std::chrono::milliseconds block{500};  // of the scores read
  std::chrono::milliseconds sweep_interval{30000};
  std::chrono::milliseconds claim_idle{60000};  // scores taken over
  int batch = 500;                              // scores per read
  std::chrono::milliseconds error_backoff{500};
};

class PublisherWorker {
 public:
  // Everything is borrowed and must outlive this object.
  PublisherWorker(RedisClient& redis, RunPublisher& publisher,
                  PublisherMetrics& metrics, PublisherWorkerOptions options,
                  Clock& clock = SystemClock());
  ~PublisherWorker();
  // Creates both consumer groups (an existing group is fine).
  absl::Status Init();
  // One round: a scores step, then a runs step that publishes every touched
  // run. Returns the entries handled.
  absl::StatusOr<int> Step();
  // Steps until shutdown is requested.
  void Run();

 private:
  class ScoresHandler;
  class RunsHandler;
  friend class ScoresHandler;
  friend class RunsHandler;

  absl::Status StoreResult(const StreamEntry& entry);
  // The latest manifests' runs, into touched_.
  absl::Status Sweep();
  // Sweeps when due, then tries to publish every touched run.
  absl::Status PublishTouched();

  RedisClient& redis_;
  RunPublisher& publisher_;
  PublisherMetrics& metrics_;
  PublisherWorkerOptions options_;
  Clock& clock_;
  StreamConsumer scores_;
  StreamConsumer runs_;
  std::unique_ptr<ScoresHandler> scores_handler_;
  std::unique_ptr<RunsHandler> runs_handler_;
  // Runs to try; kept across a failed step so none is forgotten.
  std::set<RunId> touched_;
  bool published_in_step_ = false;
  std::chrono::steady_clock::time_point next_sweep_{};
};

}  // namespace arxiv_digest
