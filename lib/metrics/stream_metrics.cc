#include "lib/metrics/stream_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "lib/redis/redis_client.h"

namespace arxiv_digest {
namespace {

// XINFO GROUPS answers one flat field/value array per group.
const RedisReply* GroupField(const RedisReply& group, std::string_view name) {
  for (size_t i = 0; i + 1 < group.elements.size(); i += 2) {
    if (group.elements[i].str == name) return &group.elements[i + 1];
  }
  return nullptr;
}

// The value of "name:value" in an INFO reply (lines end in \r\n).
std::optional<double> InfoField(absl::string_view info,
                                absl::string_view name) {
  for (absl::string_view line : absl::StrSplit(info, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > name.size() && line.substr(0, name.size()) == name &&
        line[name.size()] == ':') {
      double value = 0;
      if (absl::SimpleAtod(line.substr(name.size() + 1), &value)) return value;
    }
  }
  return std::nullopt;
}

}  // namespace

StreamMetrics::StreamMetrics(std::shared_ptr<prometheus::Registry> registry,
                             std::string redis_url,
                             std::vector<StreamTarget> targets,
                             std::chrono::milliseconds interval)
    : registry_(std::move(registry)),
      redis_url_(std::move(redis_url)),
      targets_(std::move(targets)),
      interval_(interval),
      length_(prometheus::BuildGauge()
                  .Name("arxiv_stream_length")
                  .Help("Entries in the Redis stream (XLEN)")
                  .Register(*registry_)),
      pending_(prometheus::BuildGauge()
                   .Name("arxiv_stream_pending_entries")
                   .Help("Entries delivered to the consumer group and not yet "
                         "acknowledged (XINFO GROUPS pending)")
                   .Register(*registry_)),
      lag_(prometheus::BuildGauge()
               .Name("arxiv_stream_lag_entries")
               .Help("Entries not yet delivered to the consumer group "
                     "(XINFO GROUPS lag)")
               .Register(*registry_)),
      errors_(prometheus::BuildCounter()
                  .Name("arxiv_stream_metrics_refresh_errors_total")
                  .Help("Failed refreshes of the stream gauges (Redis "
                        "unreachable or an unexpected reply)")
                  .Register(*registry_)
                  .Add({})),
      used_memory_(prometheus::BuildGauge()
                       .Name("arxiv_redis_used_memory_bytes")
                       .Help("Redis used_memory (INFO memory)")
                       .Register(*registry_)
                       .Add({})),
      maxmemory_(prometheus::BuildGauge()
                     .Name("arxiv_redis_maxmemory_bytes")
                     .Help("Redis maxmemory (INFO memory); 0 = no limit")
                     .Register(*registry_)
                     .Add({})) {}

StreamMetrics::~StreamMetrics() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StreamMetrics::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(stop_mu_);
    while (!stop_) {
      lock.unlock();
      // Failures are counted in errors_; the next tick retries.
      (void)Refresh();
      lock.lock();
      stop_cv_.wait_for(lock, interval_, [this] { return stop_; });
    }
  });
}

absl::Status StreamMetrics::Refresh() {
  std::lock_guard<std::mutex> lock(mu_);
  absl::Status status = RefreshLocked();
  if (!status.ok()) errors_.Increment();
  return status;
}

absl::Status StreamMetrics::RefreshLocked() {
  if (redis_ == nullptr) {
    absl::StatusOr<std::unique_ptr<RedisClient>> client =
        RedisClient::Connect(redis_url_);
    if (!client.ok()) return client.status();
    redis_ = std::move(*client);
  }
  std::map<std::string, RedisReply> groups_by_stream;
  for (const StreamTarget& target : targets_) {
    absl::StatusOr<RedisReply> len = redis_->Command({"XLEN", target.stream});
    if (!len.ok()) return len.status();
    length_.Add({{"stream", target.stream}})
        .Set(static_cast<double>(len->integer));
    if (target.group.empty()) continue;

    auto it = groups_by_stream.find(target.stream);
    if (it == groups_by_stream.end()) {
      absl::StatusOr<RedisReply> groups =
          redis_->Command({"XINFO", "GROUPS", target.stream});
      // A stream nobody wrote yet has no key: no groups, not an error.
      RedisReply none;
      none.type = RedisReply::Type::kArray;
      if (!groups.ok() && len->integer != 0) return groups.status();
      it = groups_by_stream.emplace(target.stream, groups.ok() ? *groups : none)
               .first;
    }
    const RedisReply* found = nullptr;
    for (const RedisReply& g : it->second.elements) {
      const RedisReply* name = GroupField(g, "name");
      if (name != nullptr && name->str == target.group) found = &g;
    }
    const long long* pending = nullptr;
    const long long* lag = nullptr;
    if (found != nullptr) {
      const RedisReply* p = GroupField(*found, "pending");
      const RedisReply* l = GroupField(*found, "lag");
      if (p != nullptr && p->type == RedisReply::Type::kInteger) {
        pending = &p->integer;
      }
      if (l != nullptr && l->type == RedisReply::Type::kInteger) {
        lag = &l->integer;
      }
    }
    SetGroupGauge(pending_, pending_gauges_, target, pending);
    SetGroupGauge(lag_, lag_gauges_, target, lag);
  }
  // Redis runs with maxmemory and noeviction (deploy/): a full Redis
  // refuses writes, so its memory is watched next to the backlog. INFO is
  // not an @admin command: the services' ACL user may run it.
  absl::StatusOr<RedisReply> info = redis_->Command({"INFO", "memory"});
  if (!info.ok()) return info.status();
  std::optional<double> used = InfoField(info->str, "used_memory");
  std::optional<double> max = InfoField(info->str, "maxmemory");
  if (!used || !max) {
    return absl::InternalError("redis INFO memory: no used_memory/maxmemory");
  }
  used_memory_.Set(*used);
  maxmemory_.Set(*max);
  return absl::OkStatus();
}

void StreamMetrics::SetGroupGauge(
    prometheus::Family<prometheus::Gauge>& family,
    std::map<std::pair<std::string, std::string>, prometheus::Gauge*>& cache,
    const StreamTarget& target, const long long* value) {
  const auto key = std::make_pair(target.stream, target.group);
  auto it = cache.find(key);
  if (value == nullptr) {
    // Unknown now: drop the sample so a stale number is not shown as live.
    if (it != cache.end()) {
      family.Remove(it->second);
      cache.erase(it);
    }
    return;
  }
  if (it == cache.end()) {
    it = cache
             .emplace(key, &family.Add({{"stream", target.stream},
                                        {"group", target.group}}))
             .first;
  }
  it->second->Set(static_cast<double>(*value));
}

}  // namespace arxiv_digest
