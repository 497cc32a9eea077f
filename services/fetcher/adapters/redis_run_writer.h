// Writes a run to Redis: the manifest hash, one papers-stream entry and one
// papers-hash field per paper, then the manifest's final state and a
// runs-stream entry that tells the publisher the run's size is known.
#pragma once

#include "lib/redis/redis_client.h"
#include "services/fetcher/logic/fetch_ports.h"

namespace arxiv_digest {

class RedisRunWriter : public RunWriter {
 public:
  explicit RedisRunWriter(RedisClient& redis);
  absl::Status BeginRun(const RunManifest& manifest) override;
  absl::Status AppendPaper(const std::string& run_id,
                           const Paper& paper) override;
  absl::Status FinishRun(const RunManifest& manifest) override;

 private:
  RedisClient& redis_;
};

}  // namespace arxiv_digest
