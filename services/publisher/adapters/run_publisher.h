// Turns a complete run into a digest version: loads the run's papers,
// scores and token usage from Redis, ranks with the run's profile, renders
// markdown/JSON/HTML, writes the files and the Redis copies (a new version
// per publication of a profile and date; old versions stay readable), marks
// the run published and hands the digest to the delivery sinks. Safe to
// call for any run at any time: incomplete or already published runs are
// left alone, and locks keep publisher replicas from racing.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "lib/config/config.h"
#include "lib/redis/redis_client.h"
#include "services/publisher/adapters/digest_sink.h"
#include "services/publisher/adapters/publisher_metrics.h"
#include "services/publisher/logic/pricing.h"

namespace arxiv_digest {

// The delivery sinks of a profile (Slack, e-mail, ...); may be empty.
using SinksForProfile =
    std::function<std::vector<DigestSink*>(const std::string& profile)>;

class RunPublisher {
 public:
  RunPublisher(RedisClient& redis,
               const std::map<std::string, Config>& profiles,
               std::string output_path, PublisherMetrics& metrics,
               SinksForProfile sinks = {},
               const PriceTable& prices = DefaultPriceTable());

  // True when this call published the run.
  absl::StatusOr<bool> TryPublish(const std::string& run_id);

 private:
  absl::Status StoreVersion(
      const PublishedDigest& digest,
      std::vector<std::pair<std::string, std::string>>& done);

  RedisClient& redis_;
  const std::map<std::string, Config>& profiles_;
  std::string output_path_;
  PublisherMetrics& metrics_;
  SinksForProfile sinks_;
  const PriceTable& prices_;
};

// Writes text to path through a temporary file and rename, so readers never
// see half a digest.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& text);

}  // namespace arxiv_digest
