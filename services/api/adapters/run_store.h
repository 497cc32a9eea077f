// Runs in Redis as the API reads them: a manifest (decoded with the
// contract's codec) and its scoring progress (GetRun, WatchJob). Runs are
// written through contract::RedisRunWriter (lib/redis/redis_run_writer.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/paper.h"
#include "lib/redis/redis_client.h"

namespace arxiv_digest::api {

// The manifest of `run_id`, nullopt when the run does not exist. A
// manifest the contract cannot read (a field with a malformed value) is
// DATA_LOSS naming the run and the field.
absl::StatusOr<std::optional<RunManifest>> ReadManifest(
    RedisClient& redis, const std::string& run_id);

class RunStore {
 public:
  explicit RunStore(RedisClient& redis) : redis_(redis) {}

  // ReadManifest.
  absl::StatusOr<std::optional<RunManifest>> Get(const std::string& run_id) {
    return ReadManifest(redis_, run_id);
  }

  // HLEN of the run's scores hash.
  absl::StatusOr<int64_t> Scored(const std::string& run_id);

  // The run's fate records (one JSON per paper), or nullopt when it has
  // more than max_records: a GetRun never pulls an unbounded reply.
  absl::StatusOr<std::optional<std::vector<std::string>>> FateRecords(
      const std::string& run_id, int64_t max_records);

 private:
  RedisClient& redis_;
};

}  // namespace arxiv_digest::api
