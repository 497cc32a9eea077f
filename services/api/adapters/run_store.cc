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

absl::StatusOr<std::optional<std::vector<std::string>>> RunStore::FateRecords(
    const std::string& run_id, int64_t max_records) {
  absl::StatusOr<int64_t> count = redis_.HLen(keys::RunFates(run_id));
  if (!count.ok()) return count.status();
  if (*count > max_records) return std::optional<std::vector<std::string>>();
  absl::StatusOr<RedisReply> values =
      redis_.Command({"HVALS", keys::RunFates(run_id)});
  if (!values.ok()) return values.status();
  std::vector<std::string> records;
  records.reserve(values->elements.size());
  for (const RedisReply& e : values->elements) records.push_back(e.str);
  return std::optional<std::vector<std::string>>(std::move(records));
}

}  // namespace arxiv_digest::api
