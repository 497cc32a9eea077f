#include "services/publisher/adapters/publisher_worker.h"

#include <thread>

#include "lib/core/paper.h"
#include "lib/core/shutdown.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"

namespace arxiv_digest {

PublisherWorker::PublisherWorker(RedisClient& redis, RunPublisher& publisher,
                                 PublisherMetrics& metrics,
                                 PublisherWorkerOptions options)
    : redis_(redis),
      publisher_(publisher),
      metrics_(metrics),
      options_(std::move(options)) {}

absl::Status PublisherWorker::Init() {
  if (absl::Status s =
          redis_.EnsureGroup(keys::ScoresStream(), keys::kPublisherGroup);
      !s.ok()) {
    return s;
  }
  return redis_.EnsureGroup(keys::RunsStream(), keys::kPublisherGroup);
}

absl::Status PublisherWorker::StoreResult(const StreamEntry& entry,
                                          std::set<std::string>& touched) {
  std::optional<std::string> type = entry.Field("type");
  std::optional<std::string> run_id = entry.Field("run_id");
  if (!type || !run_id || run_id->empty()) {
    LogError("ignoring malformed result entry", {{"entry", entry.id}});
    return absl::OkStatus();
  }
  if (*type == "score") {
    std::optional<std::string> id = entry.Field("arxiv_id");
    std::optional<std::string> score = entry.Field("score");
    if (!id || !score) {
      LogError("ignoring score entry without arxiv_id/score",
               {{"entry", entry.id}});
      return absl::OkStatus();
    }
    metrics_.scores_received.Increment();
    if (absl::Status s = redis_.HSet(keys::RunScores(*run_id), {{*id, *score}});
        !s.ok()) {
      return s;
    }
    if (std::optional<std::string> model = entry.Field("model")) {
      if (absl::Status s = redis_.HSet(keys::Run(*run_id), {{"model", *model}});
          !s.ok()) {
        return s;
      }
    }
  } else if (*type == "usage") {
    std::optional<std::string> call = entry.Field("call_id");
    std::optional<std::string> usage = entry.Field("usage");
    if (!call || !usage) {
      LogError("ignoring usage entry without call_id/usage",
               {{"entry", entry.id}});
      return absl::OkStatus();
    }
    if (absl::Status s =
            redis_.HSet(keys::RunUsage(*run_id), {{*call, *usage}});
        !s.ok()) {
      return s;
    }
  }
  touched.insert(*run_id);
  return absl::OkStatus();
}

absl::Status PublisherWorker::Sweep(std::set<std::string>& touched) {
  // The latest manifests: enough to finish runs that completed while no
  // publisher was running (their score entries were acked long ago).
  absl::StatusOr<RedisReply> recent = redis_.Command(
      {"XREVRANGE", keys::RunsStream(), "+", "-", "COUNT", "50"});
  if (!recent.ok()) return recent.status();
  for (const RedisReply& e : recent->elements) {
    if (e.elements.size() != 2) continue;
    const RedisReply& kv = e.elements[1];
    for (size_t i = 0; i + 1 < kv.elements.size(); i += 2) {
      if (kv.elements[i].str == "run_id")
        touched.insert(kv.elements[i + 1].str);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int> PublisherWorker::Step() {
  std::set<std::string> touched;
  int handled = 0;
  std::vector<StreamEntry> results;
  if (own_pending_) {
    // Our own results read but not acked (a restart under the same
    // consumer name, or an XACK lost to a Redis outage).
    absl::StatusOr<std::vector<StreamEntry>> own = redis_.XReadGroup(
        keys::kPublisherGroup, options_.consumer, keys::ScoresStream(),
        options_.batch, std::chrono::milliseconds(0), "0");
    if (!own.ok()) return own.status();
    results = *std::move(own);
    if (results.empty()) own_pending_ = false;
  }
  if (results.empty()) {
    // Results left pending by another publisher that died before XACK.
    absl::StatusOr<RedisClient::AutoClaimResult> claimed = redis_.XAutoClaim(
        keys::ScoresStream(), keys::kPublisherGroup, options_.consumer,
        options_.claim_idle, "0-0", options_.batch);
    if (!claimed.ok()) return claimed.status();
    results = std::move(claimed->entries);
  }
  if (results.empty()) {
    absl::StatusOr<std::vector<StreamEntry>> fresh =
        redis_.XReadGroup(keys::kPublisherGroup, options_.consumer,
                          keys::ScoresStream(), options_.batch, options_.block);
    if (!fresh.ok()) return fresh.status();
    results = *std::move(fresh);
  }
  std::vector<std::string> ack;
  for (const StreamEntry& e : results) {
    if (absl::Status s = StoreResult(e, touched); !s.ok()) return s;
    ack.push_back(e.id);
  }
  if (absl::Status s =
          redis_.XAck(keys::ScoresStream(), keys::kPublisherGroup, ack);
      !s.ok()) {
    return s;
  }
  handled += static_cast<int>(results.size());

  absl::StatusOr<std::vector<StreamEntry>> runs =
      redis_.XReadGroup(keys::kPublisherGroup, options_.consumer,
                        keys::RunsStream(), 100, std::chrono::milliseconds(0));
  if (!runs.ok()) return runs.status();
  std::vector<std::string> run_acks;
  for (const StreamEntry& e : *runs) {
    if (std::optional<std::string> id = e.Field("run_id")) touched.insert(*id);
    run_acks.push_back(e.id);
  }
  handled += static_cast<int>(runs->size());

  auto now = std::chrono::steady_clock::now();
  if (now >= next_sweep_) {
    if (absl::Status s = Sweep(touched); !s.ok()) return s;
    next_sweep_ = now + options_.sweep_interval;
  }
  for (const std::string& run_id : touched) {
    absl::StatusOr<bool> published = publisher_.TryPublish(run_id);
    if (!published.ok()) {
      metrics_.publish_errors.Increment();
      LogError("publish failed; will retry",
               {{"run_id", run_id},
                {"error", std::string(published.status().message())}});
      next_sweep_ = now;  // retry soon through the sweep
    }
  }
  // Manifests are acked after the publish attempt: a crash in between
  // re-reads them (TryPublish is idempotent).
  if (absl::Status s =
          redis_.XAck(keys::RunsStream(), keys::kPublisherGroup, run_acks);
      !s.ok()) {
    return s;
  }
  return handled;
}

void PublisherWorker::Run() {
  while (!ShutdownRequested()) {
    absl::StatusOr<int> handled = Step();
    if (!handled.ok() &&
        handled.status().message().find("NOGROUP") != std::string::npos) {
      // Redis came back without our groups (restarted without persistence).
      LogWarning("consumer groups missing; re-creating them");
      handled = Init().ok() ? absl::StatusOr<int>(0) : handled;
    }
    if (!handled.ok()) {
      own_pending_ = true;  // what we read may not have been acked
      LogError("publisher step failed",
               {{"error", std::string(handled.status().message())}});
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
}

}  // namespace arxiv_digest
