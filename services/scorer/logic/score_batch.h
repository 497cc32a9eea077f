// The scorer's use case: score one run's papers of a read and record the
// results, through ports (Redis in production, fakes in tests), then say
// what to do with the run's stream entries: ack them, give them up, or
// leave them pending for a retry.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/contract/paper_fate.h"
#include "lib/core/paper.h"
#include "services/scorer/logic/batch_plan.h"
#include "services/scorer/logic/scoring_context.h"
#include "services/scorer/logic/stage_pipeline.h"

namespace arxiv_digest {

// Where results go (the scores stream).
class ScoreSink {
 public:
  virtual ~ScoreSink() = default;
  virtual absl::Status AppendScore(const std::string& run_id,
                                   const std::string& model,
                                   const Score& score) = 0;
  // call_id is stable across re-deliveries (see UsageCallId), so appending
  // again after a crash replaces rather than adds up.
  virtual absl::Status AppendUsage(const std::string& run_id,
                                   const std::string& call_id,
                                   const std::string& model,
                                   const TokenUsage& usage) = 0;
  // Each paper's fate (lib/contract/paper_fate.h), written before its
  // score so a published run always has them. Default: not kept.
  virtual absl::Status RecordFates(
      const std::string& /*run_id*/,
      const std::vector<contract::PaperFate>& /*fates*/) {
    return absl::OkStatus();
  }
};

// What the scorer needs to know about a run beyond its papers of this read.
class RunInfo {
 public:
  virtual ~RunInfo() = default;
  // The threshold agreed for the run, if any replica stored one yet.
  virtual absl::StatusOr<std::optional<int>> LoadPrefilterThreshold(
      const std::string& run_id) = 0;
  // Stores the threshold unless one is stored already; true if stored.
  virtual absl::StatusOr<bool> StorePrefilterThresholdIfAbsent(
      const std::string& run_id, int threshold) = 0;
  // Every (parseable) paper of the run, for ranking the whole run.
  virtual absl::StatusOr<std::vector<Paper>> RunPapers(
      const std::string& run_id) = 0;
  // How many papers the run has (N of the adaptive batch sizes): its
  // manifest's papers_to_score (written before the first paper), else the
  // papers appended so far.
  virtual absl::StatusOr<int64_t> RunPaperCount(const std::string& run_id) {
    absl::StatusOr<std::vector<Paper>> papers = RunPapers(run_id);
    if (!papers.ok()) return papers.status();
    return static_cast<int64_t>(papers->size());
  }
};

// The scoring context of a run, by its profile; NotFound for a profile not
// configured here.
class RunContexts {
 public:
  virtual ~RunContexts() = default;
  virtual absl::StatusOr<ScoringContext*> ForRun(const std::string& run_id) = 0;
};

// What the use case reports for metrics and logs (they live in adapters).
struct ScoreObserver {
  std::function<void(const std::string& run_id, int threshold)>
      on_prefilter_threshold;  // computed here (not loaded)
  std::function<void(const std::string& run_id, const std::string& error)>
      on_reply_error;
  std::function<void(const TokenUsage& usage)> on_usage;
  // outcome: see OutcomeLabel.
  std::function<void(const std::string& run_id, const Score& score,
                     std::string_view outcome)>
      on_paper;
  std::function<void(std::string_view outcome)> on_batch;  // ok, failed
  // A stage skipped for this batch (e.g. Semantic Scholar unreachable).
  std::function<void(const std::string& run_id, const std::string& warning)>
      on_stage_warning;
};

// What to do with one run's entries after ScoreRun.
struct RunDisposition {
  std::vector<std::string> ack;   // results recorded: ack these entries
  std::vector<GiveUp> give_ups;   // can never succeed: dead-letter these
  std::vector<std::string> keep;  // failed for now: leave pending
  absl::Status error;             // why give_ups/keep (ok when all acked)
  // The provider rejected the key: pause before reading more, instead of
  // hammering it.
  bool pause = false;
};

// Scores the run's papers with its context (author matches, cache, the
// pre-filter agreed for the whole run, the backend), appends usage first
// and then every score, and decides the entries' fate: an unknown profile
// gives the run's entries up at once (retrying cannot help); any other
// error leaves them pending.
RunDisposition ScoreRun(const RunBatch& batch, RunContexts& contexts,
                        RunInfo& run_info, ScoreSink& sink,
                        const ScoreObserver& observer = {});

// The lowest lexical relevance the run's papers must reach to go to the
// LLM: the context's, else the stored one, else computed from all of the
// run's papers and stored unless another replica stored one first (then
// that one is used, so every replica uses the same number).
absl::StatusOr<int> AgreedPrefilterThreshold(const std::string& run_id,
                                             ScoringContext& context,
                                             RunInfo& run_info,
                                             const ScoreObserver& observer);

// The decision for a run after scoring it returned `status`.
RunDisposition DisposeRun(const RunBatch& batch, const absl::Status& status);

// The stages of a read: the base batch sizes, adaptive sizing against the
// run's paper count (each stage then sized by the papers entering it, see
// SelectionStages), the context's title stage (LLM backends) and Semantic
// Scholar source.
SelectionStages StagesFor(ScoringContext& context, int64_t run_papers,
                          PrefilterFn prefilter);

// Usage records are keyed by the batch's first entry id and the call's
// index: "<first entry id>#<i>".
std::string UsageCallId(const std::string& first_entry_id, size_t index);

// author_match, prefiltered, cached, scored or unscored.
std::string_view OutcomeLabel(const Score& score);

}  // namespace arxiv_digest
