#include "services/api/adapters/run_store.h"

#include "absl/strings/str_join.h"
#include "lib/redis/keys.h"

namespace arxiv_digest::api {

absl::Status RunStore::Trigger(const std::string& run_id,
                               const TriggerRequest& req) {
  std::string categories = absl::StrJoin(req.categories, ",");
  if (absl::Status s =
          redis_.HSet(keys::Run(run_id), {{"run_id", run_id},
                                          {"status", kStatusRequested},
                                          {"requested_at", req.requested_at},
                                          {"requested_by", req.requested_by},
                                          {"categories", categories},
                                          {"date", req.date}});
      !s.ok()) {
    return s;
  }
  // The manifest comes first: a fetcher that picks the trigger up at once
  // finds the run it is asked to fill.
  return redis_
      .XAdd(
          keys::TriggersStream(),
          {{"run_id", run_id}, {"categories", categories}, {"date", req.date}})
      .status();
}

absl::StatusOr<std::optional<Manifest>> RunStore::Get(
    const std::string& run_id) {
  absl::StatusOr<Manifest> m = redis_.HGetAll(keys::Run(run_id));
  if (!m.ok()) return m.status();
  if (m->empty()) return std::optional<Manifest>();
  return std::optional<Manifest>(*std::move(m));
}

absl::StatusOr<int64_t> RunStore::Scored(const std::string& run_id) {
  return redis_.HLen(keys::RunScores(run_id));
}

}  // namespace arxiv_digest::api
