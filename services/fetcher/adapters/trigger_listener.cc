#include "services/fetcher/adapters/trigger_listener.h"

#include "lib/contract/stream_entries.h"
#include "lib/core/ids.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"

namespace arxiv_digest {

TriggerListener::TriggerListener(RedisClient& redis, std::string consumer)
    : redis_(redis), consumer_(std::move(consumer)) {}

absl::Status TriggerListener::Init() {
  // "$": a fetcher starting today does not replay last month's requests.
  return redis_.EnsureGroup(keys::TriggersStream(), keys::kFetcherGroup, "$");
}

absl::StatusOr<std::optional<FetchTrigger>> TriggerListener::Next(
    std::chrono::milliseconds block) {
  absl::StatusOr<std::vector<StreamEntry>> entries = redis_.XReadGroup(
      keys::kFetcherGroup, consumer_, keys::TriggersStream(), 1, block);
  if (!entries.ok() &&
      entries.status().message().find("NOGROUP") != std::string::npos) {
    if (absl::Status s = Init(); !s.ok()) return s;
    return std::optional<FetchTrigger>();
  }
  if (!entries.ok()) return entries.status();
  if (entries->empty()) return std::optional<FetchTrigger>();
  const StreamEntry& e = entries->front();
  FetchTrigger t;
  t.entry_id = e.id;
  absl::StatusOr<contract::TriggerEntry> decoded =
      contract::DecodeTriggerEntry(e.fields);
  if (decoded.ok()) {
    t.run_id = decoded->run_id.str();
    t.categories = decoded->categories;
    if (decoded->date) t.date = decoded->date->str();
    t.missing_days = decoded->missing_days;
    return std::optional<FetchTrigger>(std::move(t));
  }
  // A run the API created but whose request is unusable: fail that run
  // with the reason rather than leave it "requested" forever.
  absl::StatusOr<RunId> run_id =
      RunId::Parse(e.Field(contract::stream_field::kRunId).value_or(""));
  if (run_id.ok()) {
    t.run_id = run_id->str();
    t.error = std::string(decoded.status().message());
    return std::optional<FetchTrigger>(std::move(t));
  }
  LogError(
      "ignoring trigger without run_id",
      {{"entry", e.id}, {"error", std::string(decoded.status().message())}});
  if (absl::Status s = Ack(t); !s.ok()) return s;
  return std::optional<FetchTrigger>();
}

absl::Status TriggerListener::Ack(const FetchTrigger& trigger) {
  return redis_.XAck(keys::TriggersStream(), keys::kFetcherGroup,
                     {trigger.entry_id});
}

}  // namespace arxiv_digest
