// "One fetch, many profiles": consumes the runs stream with the group
// "profiles" (lib/redis/stream_consumer.h) and, for every new daily run
// (manifest without `kind`) that is fetched, creates one child run per
// non-default profile, like a Rescore of that run with profile=<name>
// (manifest kind=profile). The hash keys::RunProfileRuns(<daily>)
// (profile -> child run id) makes it idempotent across restarts, replays
// and api replicas. Entries are acked after their fan-out; a failed one
// leaves the read entries pending, re-read after the consumer's backoff.
//
// The group starts at "$": runs announced before the api first ran are not
// fanned out (that would re-score history at LLM cost); use Rescore.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/clock.h"
#include "lib/redis/redis_client.h"
#include "lib/redis/stream_consumer.h"

namespace arxiv_digest::api {

class ApiMetrics;

struct ProfileFanoutOptions {
  std::string consumer = "api-1";
  std::chrono::milliseconds block{1000};
};

class ProfileFanout : public StreamHandler {
 public:
  // `clock` stamps requested_at of the child runs and paces retries.
  ProfileFanout(RedisClient& redis,
                std::function<std::vector<std::string>()> profiles,
                std::function<uint32_t()> random, Clock& clock,
                ApiMetrics* metrics, const ProfileFanoutOptions& options = {});

  absl::Status Init();  // creates the group
  // One step of the consumer (entries pending for this consumer first);
  // returns the child runs created.
  absl::StatusOr<std::vector<std::string>> RunOnce();
  // Steps until `stop()` is true; errors are logged and retried.
  void Run(const std::function<bool()>& stop);

  // Fans out one run now (also used by the consumer).
  absl::StatusOr<std::vector<std::string>> FanOut(const std::string& run_id);

  // StreamHandler: fans out every fetched run, then acks the entries.
  absl::StatusOr<std::vector<EntryOutcome>> Handle(
      const std::vector<StreamEntry>& entries) override;

 private:
  RedisClient& redis_;
  std::function<std::vector<std::string>()> profiles_;
  std::function<uint32_t()> random_;
  Clock& clock_;
  ApiMetrics* metrics_;
  StreamConsumer consumer_;
  std::vector<std::string> created_;  // by Handle, for RunOnce
};

// The api's fan-out thread: connects to `redis_url`, creates the group
// (retrying every second until it exists or `stop()`), then Run(stop). A
// failed connection is logged and ends the fan-out.
void RunProfileFanout(const std::string& redis_url,
                      std::function<std::vector<std::string>()> profiles,
                      std::function<uint32_t()> random, Clock& clock,
                      ApiMetrics* metrics, const ProfileFanoutOptions& options,
                      const std::function<bool()>& stop);

}  // namespace arxiv_digest::api
