#include "services/scorer/adapters/scorer_worker.h"

#include <algorithm>
#include <map>
#include <optional>

#include "lib/contract/run_manifest.h"
#include "lib/contract/stream_entries.h"
#include "lib/core/ids.h"
#include "lib/core/shutdown.h"
#include "lib/http_transport/httplib_client.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"
#include "services/scorer/adapters/pending_heartbeat.h"
#include "services/scorer/adapters/semantic_scholar_client.h"
#include "services/scorer/logic/stream_read_batch.h"

namespace arxiv_digest {
namespace {

// Whether any profile uses Semantic Scholar (h-index or followed ids).
bool NeedsSemanticScholar(const std::map<std::string, Config>& profiles) {
  for (const auto& [name, c] : profiles) {
    if (c.filtering.h_cutoff > 0) return true;
    if (!c.selection.run_author_match) continue;
    for (const FollowedAuthor& a : c.authors) {
      if (!a.id.empty()) return true;
    }
  }
  return false;
}

StreamConsumerOptions ConsumerOptions(const ScorerWorkerOptions& o, int batch) {
  StreamConsumerOptions c;
  c.stream = keys::PapersStream();
  c.group = keys::kScorerGroup;
  c.consumer = o.consumer;
  c.batch = batch;
  c.block = o.block;
  // --claim-idle-ms 0 has always meant "take over at once"; 1 ms is that
  // (the consumer's 0 means "never claim").
  c.claim_idle = std::max(o.claim_idle, std::chrono::milliseconds(1));
  c.max_deliveries = o.max_deliveries;
  c.dead_letter_stream = keys::DeadLetterStream();
  c.fill_wait = o.batch_fill;
  return c;
}

}  // namespace

ScorerWorker::ScorerWorker(RedisClient& redis,
                           const std::map<std::string, Config>& profiles,
                           ScoringContextFactory factory,
                           ScorerMetrics& metrics, ScorerWorkerOptions options,
                           Clock& clock, RedisClient* keepalive_redis)
    : redis_(redis),
      contexts_(redis, profiles, std::move(factory)),
      sink_(redis),
      run_info_(redis),
      metrics_(metrics),
      options_(std::move(options)),
      clock_(clock),
      keepalive_redis_(keepalive_redis),
      consumer_(redis,
                // The largest read any profile's batch sizes and stages need.
                ConsumerOptions(options_, contexts_.read_batch()), clock,
                StreamConsumerObserver{
                    .on_claimed = {},
                    .on_dead_letter = [&metrics](const std::string&) {
                      metrics.dead_lettered.Increment();
                    }}) {
  observer_.on_prefilter_threshold = [](const std::string& run_id,
                                        int threshold) {
    LogInfo("pre-filter threshold",
            {{"run_id", run_id}, {"threshold", std::to_string(threshold)}});
  };
  observer_.on_reply_error = [this](const std::string& run_id,
                                    const std::string& error) {
    metrics_.reply_parse_errors.Increment();
    LogWarning("unusable reply line", {{"run_id", run_id}, {"error", error}});
  };
  observer_.on_usage = [this](const TokenUsage& u) {
    metrics_.tokens.Add({{"kind", "prompt"}}).Increment(u.prompt_tokens);
    metrics_.tokens.Add({{"kind", "completion"}})
        .Increment(u.completion_tokens);
    metrics_.tokens.Add({{"kind", "cached"}}).Increment(u.cached_tokens);
  };
  observer_.on_paper = [this](const std::string& run_id, const Score& s,
                              std::string_view outcome) {
    metrics_.papers.Add({{"outcome", std::string(outcome)}}).Increment();
    if (!s.scored && !s.prefiltered) {
      LogWarning(
          "paper left unscored",
          {{"run_id", run_id}, {"arxiv_id", s.arxiv_id}, {"error", s.error}});
    }
  };
  observer_.on_batch = [this](std::string_view outcome) {
    metrics_.batches.Add({{"outcome", std::string(outcome)}}).Increment();
  };
  observer_.on_stage_warning = [this](const std::string& run_id,
                                      const std::string& warning) {
    metrics_.stage_skipped.Increment();
    LogWarning("selection stage skipped",
               {{"run_id", run_id}, {"reason", warning}});
  };
  if (NeedsSemanticScholar(profiles)) {
    const SemanticScholarOptions s2_options = SemanticScholarOptionsFromEnv();
    HttpClientOptions http_options;
    http_options.total_deadline = std::chrono::seconds(60);
    s2_http_ = std::make_unique<HttplibClient>(http_options);
    s2_ = std::make_unique<SemanticScholarClient>(
        *s2_http_, redis_, s2_options, clock_,
        [this](const std::string& outcome) {
          metrics_.s2_requests.Add({{"outcome", outcome}}).Increment();
        });
    contexts_.set_s2(s2_.get());
  }
}

absl::Status ScorerWorker::Init() { return consumer_.Init(); }

absl::StatusOr<int> ScorerWorker::Step() {
  absl::StatusOr<int> handled = consumer_.Step(*this);
  PauseIfAsked();
  return handled;
}

void ScorerWorker::Run() {
  // The pause comes between steps, after the last step's acks.
  consumer_.Run(*this, [this] {
    PauseIfAsked();
    return ShutdownRequested();
  });
}

void ScorerWorker::PauseIfAsked() {
  if (!pause_) return;
  pause_ = false;
  clock_.SleepFor(options_.auth_error_pause);
}

bool ScorerWorker::WantsMore(const std::vector<StreamEntry>& so_far) {
  // Once the run's manifest says "fetched" no more of its papers can
  // arrive, so the tail of a run does not wait.
  std::optional<std::string> run_id =
      so_far.front().Field(contract::stream_field::kRunId);
  if (!run_id || !ids::IsValidRunId(*run_id)) return false;
  absl::StatusOr<std::optional<std::string>> status =
      redis_.HGet(keys::Run(*run_id), contract::manifest_field::kStatus);
  return status.ok() && status->has_value() &&
         **status == run_status::kFetching;
}

absl::Status ScorerWorker::RecordUnscored(const GiveUp& give_up) {
  if (!give_up.unscored) return absl::OkStatus();
  std::string model = "unknown";
  if (absl::StatusOr<ScoringContext*> c = contexts_.ForRun(give_up.run_id);
      c.ok()) {
    model = (*c)->backend->model();
  }
  if (absl::Status s =
          sink_.AppendScore(give_up.run_id, model, *give_up.unscored);
      !s.ok()) {
    return s;
  }
  metrics_.papers.Add({{"outcome", "unscored"}}).Increment();
  return absl::OkStatus();
}

absl::Status ScorerWorker::OnGiveUp(const StreamEntry& entry,
                                    const std::string& reason) {
  // Only the two short id fields are read, and validated as ids: the
  // entry may be the poison that crashed a replica while parsing it.
  absl::StatusOr<RunId> run_id =
      RunId::Parse(entry.Field(contract::stream_field::kRunId).value_or(""));
  absl::StatusOr<ArxivId> arxiv_id = ArxivId::Parse(
      entry.Field(contract::stream_field::kArxivId).value_or(""));
  if (!run_id.ok() || !arxiv_id.ok()) return absl::OkStatus();
  return RecordUnscored(
      GiveUpPaper(entry.id, run_id->str(), arxiv_id->str(), reason));
}

EntryOutcome ScorerWorker::Park(const GiveUp& give_up) {
  if (absl::Status s = RecordUnscored(give_up); !s.ok()) {
    LogError(
        "could not record an unscored result; entry stays pending",
        {{"entry", give_up.entry_id}, {"error", std::string(s.message())}});
    return EntryOutcome{Disposition::kKeepPending, ""};
  }
  return EntryOutcome{Disposition::kDeadLetter, give_up.reason};
}

RunDisposition ScorerWorker::ScoreKeptAlive(const RunBatch& run) {
  std::optional<PendingHeartbeat> heartbeat;
  if (keepalive_redis_ != nullptr) {
    std::vector<std::string> ids;
    for (const RunWork& w : run.work) ids.push_back(w.entry_id);
    // Three renewals per claim_idle: the entries never look idle that long.
    heartbeat.emplace(consumer_, *keepalive_redis_, std::move(ids),
                      consumer_.options().claim_idle / 3);
  }
  return ScoreRun(run, contexts_, run_info_, sink_, observer_);
}

absl::StatusOr<std::vector<EntryOutcome>> ScorerWorker::Handle(
    const std::vector<StreamEntry>& entries) {
  std::vector<ReadEntry> read;
  std::map<std::string, size_t> index;
  read.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    read.push_back(ReadEntry{entries[i].id,
                             contract::DecodePaperEntry(entries[i].fields)});
    index[entries[i].id] = i;
  }
  std::vector<EntryOutcome> outcomes(entries.size());
  auto set = [&](const std::string& id, EntryOutcome o) {
    outcomes[index.at(id)] = std::move(o);
  };
  BatchPlan plan = PlanBatch(read);
  for (const GiveUp& g : plan.give_ups) set(g.entry_id, Park(g));
  for (const RunBatch& run : plan.runs) {
    RunDisposition d = ScoreKeptAlive(run);
    for (const GiveUp& g : d.give_ups) set(g.entry_id, Park(g));
    for (const std::string& id : d.ack) set(id, {Disposition::kAck, ""});
    for (const std::string& id : d.keep) {
      set(id, {Disposition::kKeepPending, ""});
    }
    if (!d.keep.empty()) {
      LogError("batch failed; entries stay pending for a retry",
               {{"run_id", run.run_id},
                {"papers", std::to_string(run.work.size())},
                {"error", std::string(d.error.message())}});
      pause_ = pause_ || d.pause;
    }
  }
  return outcomes;
}

}  // namespace arxiv_digest
