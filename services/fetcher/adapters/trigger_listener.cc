#include "services/fetcher/adapters/trigger_listener.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "lib/core/paper.h"
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
  t.run_id = e.Field("run_id").value_or("");
  t.date = e.Field("date").value_or("");
  for (absl::string_view c : absl::StrSplit(e.Field("categories").value_or(""),
                                            ',', absl::SkipEmpty())) {
    t.categories.emplace_back(absl::StripAsciiWhitespace(c));
  }
  if (t.run_id.empty()) {
    LogError("ignoring trigger without run_id", {{"entry", e.id}});
    if (absl::Status s = Ack(t); !s.ok()) return s;
    return std::optional<FetchTrigger>();
  }
  return std::optional<FetchTrigger>(std::move(t));
}

absl::Status TriggerListener::Ack(const FetchTrigger& trigger) {
  return redis_.XAck(keys::TriggersStream(), keys::kFetcherGroup,
                     {trigger.entry_id});
}

absl::Status TriggerListener::MarkFailed(const FetchTrigger& trigger,
                                         const std::string& error) {
  return redis_.HSet(keys::Run(trigger.run_id),
                     {{"status", run_status::kFailed}, {"error", error}});
}

}  // namespace arxiv_digest
