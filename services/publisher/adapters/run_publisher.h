// Turns a complete run into a digest: loads the run's papers, scores and
// token usage from Redis, ranks, renders markdown/JSON/HTML, writes the
// files and the Redis copies, then marks the run published. Safe to call
// for any run at any time: incomplete or already published runs are left
// alone, and a lock keeps two publisher replicas from racing.
#pragma once

#include <string>

#include "lib/config/config.h"
#include "lib/redis/redis_client.h"
#include "services/publisher/adapters/publisher_metrics.h"

namespace arxiv_digest {

class RunPublisher {
 public:
  RunPublisher(RedisClient& redis, const Config& config,
               std::string output_path, PublisherMetrics& metrics);

  // True when this call published the run.
  absl::StatusOr<bool> TryPublish(const std::string& run_id);

 private:
  RedisClient& redis_;
  const Config& config_;
  std::string output_path_;
  PublisherMetrics& metrics_;
};

// Writes text to path through a temporary file and rename, so readers never
// see half a digest.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& text);

}  // namespace arxiv_digest
