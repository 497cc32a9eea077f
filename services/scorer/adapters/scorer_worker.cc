#include "services/scorer/adapters/scorer_worker.h"

#include <map>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/core/shutdown.h"
#include "lib/json/json_util.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"
#include "services/scorer/logic/prefilter.h"

namespace arxiv_digest {

ScorerWorker::ScorerWorker(RedisClient& redis,
                           const std::map<std::string, Config>& profiles,
                           ScoringContextFactory factory,
                           ScorerMetrics& metrics, ScorerWorkerOptions options)
    : redis_(redis),
      contexts_(redis, profiles, std::move(factory)),
      metrics_(metrics),
      options_(std::move(options)) {}

absl::Status ScorerWorker::Init() {
  return redis_.EnsureGroup(keys::PapersStream(), keys::kScorerGroup);
}

absl::StatusOr<int> ScorerWorker::PrefilterThresholdFor(
    const std::string& run_id, ScoringContext& context) {
  if (context.prefilter_threshold >= 0) return context.prefilter_threshold;
  std::string key = keys::Run(run_id) + ":prefilter-threshold";
  absl::StatusOr<std::optional<std::string>> stored = redis_.Get(key);
  if (!stored.ok()) return stored.status();
  int threshold = 0;
  if (stored->has_value() && absl::SimpleAtoi(**stored, &threshold)) {
    context.prefilter_threshold = threshold;
    return threshold;
  }
  // The first replica to get here ranks the whole run; SET NX makes every
  // replica use the same number even if two compute it at once.
  absl::StatusOr<std::map<std::string, std::string>> papers =
      redis_.HGetAll(keys::RunPapers(run_id));
  if (!papers.ok()) return papers.status();
  std::vector<int> relevances;
  for (const auto& [id, json] : *papers) {
    if (absl::StatusOr<Paper> p = PaperFromJson(json); p.ok()) {
      relevances.push_back(context.lexical->ScorePaper(*p).relevance);
    }
  }
  threshold = PrefilterThreshold(std::move(relevances),
                                 context.config.selection.prefilter_keep_share);
  absl::StatusOr<bool> set = redis_.SetIfAbsent(key, std::to_string(threshold),
                                                std::chrono::hours(24 * 7));
  if (!set.ok()) return set.status();
  if (!*set) {
    stored = redis_.Get(key);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) absl::SimpleAtoi(**stored, &threshold);
  }
  context.prefilter_threshold = threshold;
  LogInfo("pre-filter threshold",
          {{"run_id", run_id}, {"threshold", std::to_string(threshold)}});
  return threshold;
}

absl::StatusOr<std::vector<StreamEntry>> ScorerWorker::NextEntries() {
  const int count = contexts_.default_config().selection.abstract_batch_size;
  // Work abandoned by a dead replica first, so it is not starved by new work.
  absl::StatusOr<RedisClient::AutoClaimResult> claimed =
      redis_.XAutoClaim(keys::PapersStream(), keys::kScorerGroup,
                        options_.consumer, options_.claim_idle, "0-0", count);
  if (!claimed.ok()) return claimed.status();
  if (!claimed->entries.empty()) {
    LogInfo("took over idle entries",
            {{"consumer", options_.consumer},
             {"count", std::to_string(claimed->entries.size())}});
    return claimed->entries;
  }
  absl::StatusOr<std::vector<StreamEntry>> read =
      redis_.XReadGroup(keys::kScorerGroup, options_.consumer,
                        keys::PapersStream(), count, options_.block);
  if (!read.ok() || read->empty()) return read;
  // Top up a partial batch for a short while; what was read is already
  // ours (pending), so an error here just sends the batch as it is. Once the
  // run's manifest says "fetched" no more of its papers can arrive, so the
  // tail of a run does not wait.
  const std::string run_id = read->front().Field("run_id").value_or("");
  auto run_still_fetching = [&] {
    absl::StatusOr<std::optional<std::string>> status =
        redis_.HGet(keys::Run(run_id), "status");
    return status.ok() && status->has_value() &&
           **status == run_status::kFetching;
  };
  const auto deadline = std::chrono::steady_clock::now() + options_.batch_fill;
  while (static_cast<int>(read->size()) < count &&
         std::chrono::steady_clock::now() < deadline && run_still_fetching()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    absl::StatusOr<std::vector<StreamEntry>> more = redis_.XReadGroup(
        keys::kScorerGroup, options_.consumer, keys::PapersStream(),
        count - static_cast<int>(read->size()), left);
    if (!more.ok() || more->empty()) break;
    read->insert(read->end(), more->begin(), more->end());
  }
  return read;
}

absl::Status ScorerWorker::DeadLetter(const StreamEntry& entry,
                                      const std::string& reason) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"source_stream", keys::PapersStream()},
      {"source_id", entry.id},
      {"reason", reason},
      {"consumer", options_.consumer}};
  for (const auto& kv : entry.fields) fields.push_back(kv);
  absl::StatusOr<std::string> id =
      redis_.XAdd(keys::DeadLetterStream(), fields);
  if (!id.ok()) return id.status();
  metrics_.dead_lettered.Increment();
  LogError("entry dead-lettered", {{"entry", entry.id}, {"reason", reason}});
  return absl::OkStatus();
}

absl::Status ScorerWorker::GiveUp(const StreamEntry& entry,
                                  const std::string& run_id,
                                  const std::string& arxiv_id,
                                  const std::string& reason) {
  if (absl::Status s = DeadLetter(entry, reason); !s.ok()) return s;
  if (!run_id.empty() && !arxiv_id.empty()) {
    // The run still completes: the paper is recorded as unscored.
    Score lost;
    lost.arxiv_id = arxiv_id;
    lost.scored = false;
    lost.error = "dead-lettered: " + reason;
    if (absl::Status s = AppendScore(run_id, lost); !s.ok()) return s;
    metrics_.papers.Add({{"outcome", "unscored"}}).Increment();
  }
  return redis_.XAck(keys::PapersStream(), keys::kScorerGroup, {entry.id});
}

absl::Status ScorerWorker::AppendScore(const std::string& run_id,
                                       const Score& score) {
  std::string model = "unknown";
  if (absl::StatusOr<ScoringContext*> c = contexts_.ForRun(run_id); c.ok()) {
    model = (*c)->backend->model();
  }
  return redis_
      .XAdd(keys::ScoresStream(), {{"type", "score"},
                                   {"run_id", run_id},
                                   {"arxiv_id", score.arxiv_id},
                                   {"model", model},
                                   {"score", ScoreToJson(score)}})
      .status();
}

absl::Status ScorerWorker::ScoreRun(const std::string& run_id,
                                    const std::vector<Work>& work) {
  absl::StatusOr<ScoringContext*> found = contexts_.ForRun(run_id);
  if (!found.ok()) return found.status();
  ScoringContext& context = **found;
  std::vector<Paper> papers;
  for (const Work& w : work) papers.push_back(w.paper);

  PrefilterFn prefilter;
  std::optional<Prefilter> filter;
  if (context.lexical && context.config.selection.prefilter_keep_share > 0) {
    absl::StatusOr<int> threshold = PrefilterThresholdFor(run_id, context);
    if (!threshold.ok()) return threshold.status();
    filter.emplace(*context.lexical, *threshold);
    prefilter = [&filter](const Paper& p) { return filter->Apply(p); };
  }
  absl::StatusOr<BatchOutcome> outcome = ScorePapers(
      papers, context.config, *context.backend, context.cache.get(), prefilter);
  if (!outcome.ok()) {
    metrics_.batches.Add({{"outcome", "failed"}}).Increment();
    return outcome.status();
  }
  for (const std::string& e : outcome->reply_errors) {
    metrics_.reply_parse_errors.Increment();
    LogWarning("unusable reply line", {{"run_id", run_id}, {"error", e}});
  }
  // Usage first, keyed by the batch's first entry id: re-appending after a
  // crash overwrites the same field at the publisher instead of adding up.
  for (size_t i = 0; i < outcome->calls.size(); ++i) {
    const TokenUsage& u = outcome->calls[i];
    metrics_.tokens.Add({{"kind", "prompt"}}).Increment(u.prompt_tokens);
    metrics_.tokens.Add({{"kind", "completion"}})
        .Increment(u.completion_tokens);
    metrics_.tokens.Add({{"kind", "cached"}}).Increment(u.cached_tokens);
    absl::StatusOr<std::string> id =
        redis_.XAdd(keys::ScoresStream(),
                    {{"type", "usage"},
                     {"run_id", run_id},
                     {"call_id", absl::StrCat(work.front().entry_id, "#", i)},
                     {"model", context.backend->model()},
                     {"usage", UsageToJson(u)}});
    if (!id.ok()) return id.status();
  }
  for (const Score& s : outcome->scores) {
    if (absl::Status st = AppendScore(run_id, s); !st.ok()) return st;
    const char* label = s.author_match  ? "author_match"
                        : s.prefiltered ? "prefiltered"
                        : s.cached      ? "cached"
                        : s.scored      ? "scored"
                                        : "unscored";
    metrics_.papers.Add({{"outcome", label}}).Increment();
    if (!s.scored && !s.prefiltered) {
      LogWarning(
          "paper left unscored",
          {{"run_id", run_id}, {"arxiv_id", s.arxiv_id}, {"error", s.error}});
    }
  }
  std::vector<std::string> ids;
  for (const Work& w : work) ids.push_back(w.entry_id);
  metrics_.batches.Add({{"outcome", "ok"}}).Increment();
  return redis_.XAck(keys::PapersStream(), keys::kScorerGroup, ids);
}

absl::StatusOr<int> ScorerWorker::Step() {
  absl::StatusOr<std::vector<StreamEntry>> entries = NextEntries();
  if (!entries.ok() &&
      entries.status().message().find("NOGROUP") != std::string::npos) {
    // Redis came back without our group (restarted without persistence):
    // re-create it instead of failing forever.
    LogWarning("consumer group missing; re-creating it");
    if (absl::Status s = Init(); !s.ok()) return s;
    return 0;
  }
  if (!entries.ok()) return entries.status();
  if (entries->empty()) return 0;

  std::vector<std::string> ids;
  for (const StreamEntry& e : *entries) ids.push_back(e.id);
  absl::StatusOr<std::map<std::string, int64_t>> deliveries =
      redis_.PendingDeliveries(keys::PapersStream(), keys::kScorerGroup, ids);
  if (!deliveries.ok()) return deliveries.status();

  // Group by run, keeping stream order inside each run.
  std::vector<std::string> run_order;
  std::map<std::string, std::vector<Work>> by_run;
  std::map<std::string, std::vector<const StreamEntry*>> entries_by_run;
  for (const StreamEntry& e : *entries) {
    std::optional<std::string> run_id = e.Field("run_id");
    std::optional<std::string> json = e.Field("paper");
    absl::StatusOr<Paper> paper =
        json ? PaperFromJson(*json)
             : absl::StatusOr<Paper>(
                   absl::InvalidArgumentError("no paper field"));
    if (!run_id || run_id->empty() || !paper.ok()) {
      // A malformed entry can never succeed: park it with the reason.
      std::string why = !paper.ok() ? std::string(paper.status().message())
                                    : "no run_id field";
      if (absl::Status s = GiveUp(e, "", "", "malformed entry: " + why);
          !s.ok()) {
        return s;
      }
      continue;
    }
    auto d = deliveries->find(e.id);
    if (d != deliveries->end() && d->second > options_.max_deliveries) {
      std::string why =
          absl::StrCat("delivered ", d->second, " times without success");
      if (absl::Status s = GiveUp(e, *run_id, paper->arxiv_id, why); !s.ok()) {
        return s;
      }
      continue;
    }
    if (!by_run.count(*run_id)) run_order.push_back(*run_id);
    by_run[*run_id].push_back(Work{e.id, *run_id, *std::move(paper)});
    entries_by_run[*run_id].push_back(&e);
  }

  for (const std::string& run_id : run_order) {
    absl::Status s = ScoreRun(run_id, by_run[run_id]);
    if (s.code() == absl::StatusCode::kNotFound) {
      // An unknown profile will not appear by retrying: give up at once.
      for (size_t i = 0; i < by_run[run_id].size(); ++i) {
        if (absl::Status g = GiveUp(*entries_by_run[run_id][i], run_id,
                                    by_run[run_id][i].paper.arxiv_id,
                                    std::string(s.message()));
            !g.ok()) {
          return g;
        }
      }
      continue;
    }
    if (!s.ok()) {
      LogError("batch failed; entries stay pending for a retry",
               {{"run_id", run_id},
                {"papers", std::to_string(by_run[run_id].size())},
                {"error", std::string(s.message())}});
      if (s.code() == absl::StatusCode::kPermissionDenied) {
        auto until =
            std::chrono::steady_clock::now() + options_.auth_error_pause;
        while (!ShutdownRequested() &&
               std::chrono::steady_clock::now() < until) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
      }
    }
  }
  return static_cast<int>(entries->size());
}

void ScorerWorker::Run() {
  while (!ShutdownRequested()) {
    absl::StatusOr<int> handled = Step();
    if (!handled.ok()) {
      LogError("scorer step failed",
               {{"error", std::string(handled.status().message())}});
      // Redis is down or flapping: back off a little; the client reconnects.
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
}

}  // namespace arxiv_digest
