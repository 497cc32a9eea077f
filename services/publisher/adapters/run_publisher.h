// The publish use case (logic/publish_run.h) on Redis and the output
// folder, with the publisher's metrics. Safe to call for any run at any
// time: incomplete or already published runs are left alone.
#pragma once

#include <map>
#include <string>

#include "lib/config/config.h"
#include "lib/core/clock.h"
#include "lib/redis/redis_client.h"
#include "services/publisher/adapters/publisher_metrics.h"
#include "services/publisher/adapters/redis_digest_store.h"
#include "services/publisher/adapters/redis_run_repository.h"
#include "services/publisher/logic/delivery.h"
#include "services/publisher/logic/pricing.h"
#include "services/publisher/logic/publish_run.h"

namespace arxiv_digest {

class RunPublisher {
 public:
  // Everything is borrowed and must outlive this object.
  RunPublisher(RedisClient& redis,
               const std::map<std::string, Config>& profiles,
               std::string output_path, PublisherMetrics& metrics,
               SinksForProfile sinks = {},
               const PriceTable& prices = DefaultPriceTable(),
               Clock& clock = SystemClock());

  // True when this call published the run (false when it is incomplete,
  // already published, unpublishable or another replica is on it).
  absl::StatusOr<bool> TryPublish(const std::string& run_id);

 private:
  RedisRunRepository runs_;
  RedisDigestStore store_;
  PublishRun publish_;
};

}  // namespace arxiv_digest
