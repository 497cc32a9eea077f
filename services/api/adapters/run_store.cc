#include "services/api/adapters/run_store.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "lib/contract/run_manifest.h"
#include "lib/redis/keys.h"

namespace arxiv_digest::api {

absl::StatusOr<std::optional<RunManifest>> ReadManifest(
    RedisClient& redis, const std::string& run_id) {
  absl::StatusOr<std::map<std::string, std::string>> hash =
      redis.HGetAll(keys::Run(run_id));
  if (!hash.ok()) return hash.status();
  if (hash->empty()) return std::optional<RunManifest>();
  absl::StatusOr<RunManifest> m = contract::DecodeManifest(*hash);
  if (!m.ok()) {
    // Not the caller's mistake (INVALID_ARGUMENT would say so): the stored
    // run is unreadable.
    return absl::DataLossError(
        absl::StrCat("run '", run_id,
                     "' has an unreadable manifest: ", m.status().message()));
  }
  return std::optional<RunManifest>(*std::move(m));
}

absl::StatusOr<int64_t> RunStore::Scored(const std::string& run_id) {
  return redis_.HLen(keys::RunScores(run_id));
}

}  // namespace arxiv_digest::api
