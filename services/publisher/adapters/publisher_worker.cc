#include "services/publisher/adapters/publisher_worker.h"

#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include "lib/contract/run_manifest.h"
#include "lib/contract/stream_entries.h"
#include "lib/core/shutdown.h"
#include "lib/json/json_util.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"

namespace arxiv_digest {
namespace {

// How many of the latest manifests a sweep looks at.
constexpr int kSweepManifests = 50;
// Manifests per read of the runs stream.
constexpr int kRunsBatch = 100;

// The manifest field the score entries fill in.
constexpr std::string_view kModelField[] = {contract::manifest_field::kModel};

// The scores stream: batches of results, idle ones taken over from a dead
// replica; a result is never given up (no delivery limit, no dead letter).
StreamConsumerOptions ScoresOptions(const PublisherWorkerOptions& o) {
  StreamConsumerOptions c;
  c.stream = keys::ScoresStream();
  c.group = keys::kPublisherGroup;
  c.consumer = o.consumer;
  c.batch = o.batch;
  c.block = o.block;
  c.claim_idle = o.claim_idle;
  c.max_deliveries = 0;
  c.error_backoff = o.error_backoff;
  return c;
}

// The runs stream: read without waiting (the scores read blocks), never
// claimed: any replica's sweep finds the runs anyway.
StreamConsumerOptions RunsOptions(const PublisherWorkerOptions& o) {
  StreamConsumerOptions c = ScoresOptions(o);
  c.stream = keys::RunsStream();
  c.batch = kRunsBatch;
  c.block = std::chrono::milliseconds(0);
  c.claim_idle = std::chrono::milliseconds(0);
  return c;
}

std::vector<EntryOutcome> AckAll(size_t n) {
  return std::vector<EntryOutcome>(n, EntryOutcome{Disposition::kAck, ""});
}

}  // namespace

class PublisherWorker::ScoresHandler : public StreamHandler {
 public:
  explicit ScoresHandler(PublisherWorker& worker) : worker_(worker) {}
  absl::StatusOr<std::vector<EntryOutcome>> Handle(
      const std::vector<StreamEntry>& entries) override {
    // Stored results are idempotent: on an error the whole batch stays
    // pending and is stored again.
    for (const StreamEntry& e : entries) {
      if (absl::Status s = worker_.StoreResult(e); !s.ok()) return s;
    }
    return AckAll(entries.size());
  }

 private:
  PublisherWorker& worker_;
};

class PublisherWorker::RunsHandler : public StreamHandler {
 public:
  explicit RunsHandler(PublisherWorker& worker) : worker_(worker) {}
  absl::StatusOr<std::vector<EntryOutcome>> Handle(
      const std::vector<StreamEntry>& entries) override {
    for (const StreamEntry& e : entries) {
      absl::StatusOr<contract::RunEntry> run =
          contract::DecodeRunEntry(e.fields);
      if (!run.ok()) {
        LogError(
            "ignoring malformed run entry",
            {{"entry", e.id}, {"error", std::string(run.status().message())}});
        continue;
      }
      worker_.touched_.insert(run->run_id);
    }
    // Manifests are acked after the publish attempt: a crash in between
    // re-reads them.
    if (absl::Status s = worker_.PublishTouched(); !s.ok()) return s;
    return AckAll(entries.size());
  }

 private:
  PublisherWorker& worker_;
};

PublisherWorker::PublisherWorker(RedisClient& redis, RunPublisher& publisher,
                                 PublisherMetrics& metrics,
                                 PublisherWorkerOptions options, Clock& clock)
    : redis_(redis),
      publisher_(publisher),
      metrics_(metrics),
      options_(std::move(options)),
      clock_(clock),
      scores_(redis, ScoresOptions(options_), clock),
      runs_(redis, RunsOptions(options_), clock),
      scores_handler_(std::make_unique<ScoresHandler>(*this)),
      runs_handler_(std::make_unique<RunsHandler>(*this)) {}

PublisherWorker::~PublisherWorker() = default;

absl::Status PublisherWorker::Init() {
  if (absl::Status s = scores_.Init(); !s.ok()) return s;
  return runs_.Init();
}

absl::Status PublisherWorker::StoreResult(const StreamEntry& entry) {
  absl::StatusOr<contract::ScoresEntry> decoded =
      contract::DecodeScoresEntry(entry.fields);
  if (!decoded.ok()) {
    // It can never be stored: acked, not retried.
    LogError("ignoring malformed result entry",
             {{"entry", entry.id},
              {"error", std::string(decoded.status().message())}});
    return absl::OkStatus();
  }
  if (const auto* score = std::get_if<contract::ScoreEntry>(&*decoded)) {
    const std::string& run_id = score->run_id.str();
    metrics_.scores_received.Increment();
    if (absl::Status s =
            redis_.HSet(keys::RunScores(run_id),
                        {{score->score.arxiv_id, ScoreToJson(score->score)}});
        !s.ok()) {
      return s;
    }
    if (!score->model.empty()) {
      RunManifest m;
      m.model = score->model;
      if (absl::Status s = redis_.HSet(
              keys::Run(run_id), contract::EncodeManifest(m, kModelField));
          !s.ok()) {
        return s;
      }
    }
    touched_.insert(score->run_id);
    return absl::OkStatus();
  }
  const auto& usage = std::get<contract::UsageEntry>(*decoded);
  if (absl::Status s =
          redis_.HSet(keys::RunUsage(usage.run_id.str()),
                      {{usage.call_id, UsageToJson(usage.usage, usage.model)}});
      !s.ok()) {
    return s;
  }
  touched_.insert(usage.run_id);
  return absl::OkStatus();
}

absl::Status PublisherWorker::Sweep() {
  // The latest manifests: enough to finish runs that completed while no
  // publisher was running (their score entries were acked long ago).
  absl::StatusOr<RedisReply> recent =
      redis_.Command({"XREVRANGE", keys::RunsStream(), "+", "-", "COUNT",
                      std::to_string(kSweepManifests)});
  if (!recent.ok()) return recent.status();
  for (const RedisReply& e : recent->elements) {
    if (e.elements.size() != 2) continue;
    const RedisReply& kv = e.elements[1];
    contract::StreamFields fields;
    for (size_t i = 0; i + 1 < kv.elements.size(); i += 2) {
      fields.emplace_back(kv.elements[i].str, kv.elements[i + 1].str);
    }
    // Malformed manifests were logged when the runs stream delivered them.
    if (absl::StatusOr<contract::RunEntry> run =
            contract::DecodeRunEntry(fields);
        run.ok()) {
      touched_.insert(run->run_id);
    }
  }
  return absl::OkStatus();
}

absl::Status PublisherWorker::PublishTouched() {
  published_in_step_ = true;
  const auto now = clock_.Monotonic();
  if (now >= next_sweep_) {
    if (absl::Status s = Sweep(); !s.ok()) return s;
    next_sweep_ = now + options_.sweep_interval;
  }
  for (const RunId& run_id : touched_) {
    absl::StatusOr<bool> published = publisher_.TryPublish(run_id.str());
    if (!published.ok()) {
      metrics_.publish_errors.Increment();
      LogError("publish failed; will retry",
               {{"run_id", run_id.str()},
                {"error", std::string(published.status().message())}});
      next_sweep_ = now;  // retry soon through the sweep
    }
  }
  touched_.clear();
  return absl::OkStatus();
}

absl::StatusOr<int> PublisherWorker::Step() {
  absl::StatusOr<int> scores = scores_.Step(*scores_handler_);
  if (!scores.ok()) return scores.status();
  published_in_step_ = false;
  absl::StatusOr<int> runs = runs_.Step(*runs_handler_);
  if (!runs.ok()) return runs.status();
  // No manifest arrived: the runs handler did not run, publish here.
  if (!published_in_step_) {
    if (absl::Status s = PublishTouched(); !s.ok()) return s;
  }
  return *scores + *runs;
}

void PublisherWorker::Run() {
  while (!ShutdownRequested()) {
    absl::StatusOr<int> handled = Step();
    if (!handled.ok()) {
      LogError("publisher step failed",
               {{"error", std::string(handled.status().message())}});
      clock_.SleepFor(options_.error_backoff);
    }
  }
}

}  // namespace arxiv_digest
