// The seed tool's selection stages in its order, for one read of a run:
// followed authors (by Semantic Scholar id, by name as a fallback), the
// h-index filter, then (ours) the lexical pre-filter and the score cache,
// the LLM title stage, and LLM abstract scoring in batches of the
// (adaptive) abstract size, with the survivors of the earlier stages packed
// into full batches. Every input paper gets a score and a fate record.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "lib/contract/paper_fate.h"
#include "lib/core/paper.h"
#include "services/scorer/logic/scoring_backend.h"
#include "services/scorer/logic/semantic_scholar.h"
#include "services/scorer/logic/title_stage.h"

namespace arxiv_digest {

struct SelectionStages {
  PrefilterFn prefilter;  // may be empty
  // Author ids and h-indices; null = no S2 stage (h-index off, author
  // match by name only).
  SemanticScholarSource* s2 = nullptr;
  // Used when [SELECTION] run_title_filter (and run_openai) is on; null =
  // no title stage.
  TitleStage* title = nullptr;
  int title_batch_size = 0;     // papers per title call; 0 = all in one
  int abstract_batch_size = 0;  // papers per backend call; 0 = all in one
  // [SELECTION] adaptive_batch_size: the two sizes above are then the base
  // sizes, and each LLM stage is sized by the papers entering it, as the
  // seed tool sizes it (after followed authors, h-index, pre-filter and the
  // cache for the title stage; after the title stage for the abstract
  // stage). One read is part of a run, so its count is scaled to the run:
  // N = entering x run_papers / papers read (exact when one read holds the
  // whole run; 0 = this read is the run).
  bool adaptive = false;
  int adaptive_threshold = 32;
  int64_t run_papers = 0;
};

// The batch size of a stage that `entering` of `read` papers of this read
// enter (see SelectionStages::adaptive).
int StageBatchSize(int base_size, size_t entering, size_t read,
                   const SelectionStages& stages);

// Scores every paper (see above) and records its fate; the outcome's
// scores and fates are in input order, calls in the order made (title
// calls first). When S2 fails, its stages are skipped for these papers with
// a warning in outcome.warnings, and the fates of the papers that the
// h-index stage would have judged say so ("; h-index stage skipped: why");
// papers of a title batch that kept failing note that they were passed on.
// Papers the h-index or title stage drops get a `filtered` score.
absl::StatusOr<BatchOutcome> ScorePapers(const std::vector<Paper>& papers,
                                         const Config& config,
                                         ScoringBackend& backend,
                                         ScoreCache* cache,
                                         const SelectionStages& stages);

// The fate of a paper the LLM (or the cache) scored: dropped when below
// either cut-off, with the numbers.
contract::PaperFate ScoredFate(const Score& score, const Config& config,
                               const char* stage);

}  // namespace arxiv_digest
