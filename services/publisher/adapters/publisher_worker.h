// The publisher's loop: consume the scores stream (and the runs stream of
// manifests) in the "publishers" group, store each result idempotently per
// (run, paper) — a paper scored twice is stored once — XACK after storing,
// then try to publish every run that was touched. A periodic sweep catches
// runs completed while this replica was down.
#pragma once

#include <chrono>
#include <set>
#include <string>

#include "lib/redis/redis_client.h"
#include "services/publisher/adapters/publisher_metrics.h"
#include "services/publisher/adapters/run_publisher.h"

namespace arxiv_digest {

struct PublisherWorkerOptions {
  std::string consumer = "publisher-1";
  std::chrono::milliseconds block{500};
  std::chrono::milliseconds sweep_interval{30000};
  std::chrono::milliseconds claim_idle{60000};
  int batch = 500;
};

class PublisherWorker {
 public:
  PublisherWorker(RedisClient& redis, RunPublisher& publisher,
                  PublisherMetrics& metrics, PublisherWorkerOptions options);
  absl::Status Init();
  absl::StatusOr<int> Step();
  void Run();

 private:
  absl::Status StoreResult(const StreamEntry& entry,
                           std::set<std::string>& touched);
  absl::Status Sweep(std::set<std::string>& touched);

  RedisClient& redis_;
  RunPublisher& publisher_;
  PublisherMetrics& metrics_;
  PublisherWorkerOptions options_;
  std::chrono::steady_clock::time_point next_sweep_{};
  // Set at start and after a failed step: this consumer's own unacked
  // entries are re-read at once (XREADGROUP ... 0) rather than after
  // claim_idle, so a restart or a Redis outage costs no minute-long stall.
  bool own_pending_ = true;
};

}  // namespace arxiv_digest
