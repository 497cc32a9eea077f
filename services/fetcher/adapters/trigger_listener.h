// Fetch requests from the API (TriggerRun): entries of arxiv:triggers read
// in the consumer group "fetchers", so exactly one fetcher replica handles
// each. The API pre-assigns the run id and its manifest (status=requested);
// the fetcher fills that same run, or marks it failed with the reason.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/redis/redis_client.h"

namespace arxiv_digest {

struct FetchTrigger {
  std::string entry_id;
  std::string run_id;
  std::vector<std::string> categories;  // empty: the configured ones
  std::string date;                     // empty: today's feeds
};

class TriggerListener {
 public:
  TriggerListener(RedisClient& redis, std::string consumer);
  absl::Status Init();  // creates the group (new triggers only)
  // The next trigger, waiting up to `block`; nullopt on timeout. Malformed
  // entries are acked and skipped with a log line.
  absl::StatusOr<std::optional<FetchTrigger>> Next(
      std::chrono::milliseconds block);
  absl::Status Ack(const FetchTrigger& trigger);
  absl::Status MarkFailed(const FetchTrigger& trigger,
                          const std::string& error);

 private:
  RedisClient& redis_;
  std::string consumer_;
};

}  // namespace arxiv_digest
