// What scoring one run needs, chosen per run: the reader profile's config
// (with the run's topics override, for rescoring with other interests), its
// backend, its score cache and its lexical pre-filter scorer. Plain data;
// the adapter builds it (main.cc decides LLM vs lexical).
#pragma once

#include <functional>
#include <memory>

#include "lib/config/config.h"
#include "services/scorer/logic/lexical_scorer.h"
#include "services/scorer/logic/scoring_backend.h"
#include "services/scorer/logic/semantic_scholar.h"

namespace arxiv_digest {

struct ScoringContext {
  Config config;
  std::unique_ptr<ScoringBackend> backend;
  std::unique_ptr<ScoreCache> cache;       // may be null
  std::unique_ptr<LexicalScorer> lexical;  // for the pre-filter; may be null
  int prefilter_threshold = -1;            // -1: not computed yet
  // Author ids and h-indices (not owned; the replica's); null = none.
  SemanticScholarSource* s2 = nullptr;
};

// Builds a context for a profile config.
using ScoringContextFactory =
    std::function<std::unique_ptr<ScoringContext>(Config config)>;

}  // namespace arxiv_digest
