// Fetch requests from the API (TriggerRun): entries of arxiv:triggers read
// in the consumer group "fetchers", so exactly one fetcher replica handles
// each. The API pre-assigns the run id and its manifest (status=requested);
// the fetcher fills that same run, or marks it failed with the reason.
// Entries are decoded with contract::DecodeTriggerEntry.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "lib/redis/redis_client.h"
#include "services/fetcher/logic/trigger_source.h"

namespace arxiv_digest {

class TriggerListener : public TriggerSource {
 public:
  // `consumer`: this replica's name in the group (DefaultConsumerName).
  TriggerListener(RedisClient& redis, std::string consumer);
  absl::Status Init();  // creates the group (new triggers only)
  // The next trigger, waiting up to `block`; nullopt on timeout. An entry
  // without a valid run id is acked and skipped with a log line; one with a
  // valid run id but other bad fields comes back with `error` set.
  absl::StatusOr<std::optional<FetchTrigger>> Next(
      std::chrono::milliseconds block) override;
  absl::Status Ack(const FetchTrigger& trigger);

 private:
  RedisClient& redis_;
  std::string consumer_;
};

}  // namespace arxiv_digest
