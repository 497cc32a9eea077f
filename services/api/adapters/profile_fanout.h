// "One fetch, many profiles": consumes arxiv:runs with the group
// "profiles" and, for every new daily run (manifest without `kind`) that
// is fetched, creates one child run per non-default profile, like a
// Rescore of that run with profile=<name> (manifest kind=profile). The
// hash arxiv:run:<daily>:profile-runs (profile -> child run id) makes it
// idempotent across restarts and api replicas.
//
// The group starts at "$": runs announced before the api first ran are not
// fanned out (that would re-score history at LLM cost); use Rescore.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/redis/redis_client.h"

namespace arxiv_digest::api {

class ApiMetrics;

struct ProfileFanoutOptions {
  std::string consumer = "api-1";
  std::chrono::milliseconds block{1000};
};

class ProfileFanout {
 public:
  ProfileFanout(RedisClient& redis,
                std::function<std::vector<std::string>()> profiles,
                std::function<uint32_t()> random,
                std::function<std::string()> now, ApiMetrics* metrics,
                ProfileFanoutOptions options = {});

  absl::Status Init();  // creates the group
  // One read of the stream (entries pending for this consumer first);
  // returns the child runs created.
  absl::StatusOr<std::vector<std::string>> RunOnce();
  // Loops until `stop()` is true; errors are logged and retried.
  void Run(const std::function<bool()>& stop);

  // Fans out one run now (also used by RunOnce).
  absl::StatusOr<std::vector<std::string>> FanOut(const std::string& run_id);

 private:
  RedisClient& redis_;
  std::function<std::vector<std::string>()> profiles_;
  std::function<uint32_t()> random_;
  std::function<std::string()> now_;
  ApiMetrics* metrics_;
  ProfileFanoutOptions options_;
  bool pending_done_ = false;  // own pending entries re-read after a restart
};

}  // namespace arxiv_digest::api
