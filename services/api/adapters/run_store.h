// Runs in Redis as the API sees them: queueing a fetch for the fetcher
// (TriggerRun) and reading a manifest with its scoring progress (GetRun,
// WatchJob).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/redis/redis_client.h"
#include "services/api/logic/run_view.h"

namespace arxiv_digest::api {

struct TriggerRequest {
  std::vector<std::string> categories;  // validated; empty = configured ones
  std::string date;                     // validated; empty = today's
  std::string requested_at;             // RFC 3339
  std::string requested_by;             // client name
};

class RunStore {
 public:
  explicit RunStore(RedisClient& redis) : redis_(redis) {}

  // Writes the manifest {run_id, status=requested, requested_at,
  // categories, date} and XADDs arxiv:triggers {run_id, categories, date}.
  absl::Status Trigger(const std::string& run_id, const TriggerRequest& req);

  // The manifest hash, nullopt when the run does not exist.
  absl::StatusOr<std::optional<Manifest>> Get(const std::string& run_id);

  // HLEN of the run's scores hash.
  absl::StatusOr<int64_t> Scored(const std::string& run_id);

 private:
  RedisClient& redis_;
};

}  // namespace arxiv_digest::api
