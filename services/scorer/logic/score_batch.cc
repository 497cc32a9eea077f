#include "services/scorer/logic/score_batch.h"

#include "absl/strings/str_cat.h"
#include "services/scorer/logic/prefilter.h"

namespace arxiv_digest {

std::string UsageCallId(const std::string& first_entry_id, size_t index) {
  return absl::StrCat(first_entry_id, "#", index);
}

std::string_view OutcomeLabel(const Score& score) {
  return score.author_match  ? "author_match"
         : score.prefiltered ? "prefiltered"
         : score.filtered    ? "filtered"
         : score.cached      ? "cached"
         : score.scored      ? "scored"
                             : "unscored";
}

absl::StatusOr<int> AgreedPrefilterThreshold(const std::string& run_id,
                                             ScoringContext& context,
                                             RunInfo& run_info,
                                             const ScoreObserver& observer) {
  if (context.prefilter_threshold >= 0) return context.prefilter_threshold;
  absl::StatusOr<std::optional<int>> stored =
      run_info.LoadPrefilterThreshold(run_id);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) {
    context.prefilter_threshold = **stored;
    return **stored;
  }
  // The first replica to get here ranks the whole run; storing only if
  // absent makes every replica use the same number even if two compute it
  // at once.
  absl::StatusOr<std::vector<Paper>> papers = run_info.RunPapers(run_id);
  if (!papers.ok()) return papers.status();
  std::vector<int> relevances;
  relevances.reserve(papers->size());
  for (const Paper& p : *papers) {
    relevances.push_back(context.lexical->ScorePaper(p).relevance);
  }
  int threshold = PrefilterThreshold(
      std::move(relevances), context.config.selection.prefilter_keep_share);
  absl::StatusOr<bool> set =
      run_info.StorePrefilterThresholdIfAbsent(run_id, threshold);
  if (!set.ok()) return set.status();
  if (!*set) {
    stored = run_info.LoadPrefilterThreshold(run_id);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) threshold = **stored;
  }
  context.prefilter_threshold = threshold;
  if (observer.on_prefilter_threshold) {
    observer.on_prefilter_threshold(run_id, threshold);
  }
  return threshold;
}

SelectionStages StagesFor(ScoringContext& context, int64_t run_papers,
                          PrefilterFn prefilter) {
  const SelectionConfig& sel = context.config.selection;
  SelectionStages stages;
  stages.prefilter = std::move(prefilter);
  stages.s2 = context.s2;
  stages.title = context.backend->title_stage();
  stages.title_batch_size = sel.title_batch_size;
  stages.abstract_batch_size = sel.abstract_batch_size;
  stages.adaptive = sel.adaptive_batch_size;
  stages.adaptive_threshold = sel.adaptive_threshold;
  stages.run_papers = run_papers > 0 ? run_papers : 0;
  return stages;
}

namespace {

absl::Status ScoreAndAppend(const RunBatch& batch, RunContexts& contexts,
                            RunInfo& run_info, ScoreSink& sink,
                            const ScoreObserver& observer) {
  absl::StatusOr<ScoringContext*> found = contexts.ForRun(batch.run_id);
  if (!found.ok()) return found.status();
  ScoringContext& context = **found;
  std::vector<Paper> papers;
  papers.reserve(batch.work.size());
  for (const RunWork& w : batch.work) papers.push_back(w.paper);

  PrefilterFn prefilter;
  std::optional<Prefilter> filter;
  if (context.lexical && context.config.selection.prefilter_keep_share > 0) {
    absl::StatusOr<int> threshold =
        AgreedPrefilterThreshold(batch.run_id, context, run_info, observer);
    if (!threshold.ok()) return threshold.status();
    filter.emplace(*context.lexical, *threshold);
    prefilter = [&filter](const Paper& p) { return filter->Apply(p); };
  }
  // N of the adaptive sizes is the whole run's, not this read's.
  int64_t run_papers = 0;
  if (context.config.selection.adaptive_batch_size) {
    absl::StatusOr<int64_t> count = run_info.RunPaperCount(batch.run_id);
    if (!count.ok()) return count.status();
    run_papers = *count;
  }
  absl::StatusOr<BatchOutcome> outcome =
      ScorePapers(papers, context.config, *context.backend, context.cache.get(),
                  StagesFor(context, run_papers, std::move(prefilter)));
  if (!outcome.ok()) {
    if (observer.on_batch) observer.on_batch("failed");
    return outcome.status();
  }
  for (const std::string& e : outcome->reply_errors) {
    if (observer.on_reply_error) observer.on_reply_error(batch.run_id, e);
  }
  for (const std::string& w : outcome->warnings) {
    if (observer.on_stage_warning) observer.on_stage_warning(batch.run_id, w);
  }
  const std::string model = context.backend->model();
  // Usage first, keyed by the batch's first entry id: re-appending after a
  // crash overwrites the same field at the publisher instead of adding up.
  for (size_t i = 0; i < outcome->calls.size(); ++i) {
    const TokenUsage& u = outcome->calls[i];
    if (observer.on_usage) observer.on_usage(u);
    if (absl::Status s = sink.AppendUsage(
            batch.run_id, UsageCallId(batch.work.front().entry_id, i), model,
            u);
        !s.ok()) {
      return s;
    }
  }
  // Fates before scores: the publisher may publish as soon as the last
  // score lands.
  if (absl::Status s = sink.RecordFates(batch.run_id, outcome->fates);
      !s.ok()) {
    return s;
  }
  for (const Score& s : outcome->scores) {
    if (absl::Status st = sink.AppendScore(batch.run_id, model, s); !st.ok()) {
      return st;
    }
    if (observer.on_paper) observer.on_paper(batch.run_id, s, OutcomeLabel(s));
  }
  if (observer.on_batch) observer.on_batch("ok");
  return absl::OkStatus();
}

}  // namespace

RunDisposition DisposeRun(const RunBatch& batch, const absl::Status& status) {
  RunDisposition d;
  d.error = status;
  if (status.ok()) {
    for (const RunWork& w : batch.work) d.ack.push_back(w.entry_id);
  } else if (status.code() == absl::StatusCode::kNotFound) {
    // An unknown profile will not appear by retrying: give up at once.
    for (const RunWork& w : batch.work) {
      d.give_ups.push_back(GiveUpPaper(w.entry_id, batch.run_id,
                                       w.paper.arxiv_id,
                                       std::string(status.message())));
    }
  } else {
    for (const RunWork& w : batch.work) d.keep.push_back(w.entry_id);
    d.pause = status.code() == absl::StatusCode::kPermissionDenied;
  }
  return d;
}

RunDisposition ScoreRun(const RunBatch& batch, RunContexts& contexts,
                        RunInfo& run_info, ScoreSink& sink,
                        const ScoreObserver& observer) {
  if (batch.work.empty()) return RunDisposition{};
  return DisposeRun(batch,
                    ScoreAndAppend(batch, contexts, run_info, sink, observer));
}

}  // namespace arxiv_digest
