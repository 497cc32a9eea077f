// What scoring one run needs, chosen per run: the reader profile's config
// (with the run's topics override, for rescoring with other interests), its
// backend, its score cache and its lexical pre-filter scorer.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "lib/redis/redis_client.h"
#include "services/scorer/logic/lexical_scorer.h"
#include "services/scorer/logic/scoring_backend.h"

namespace arxiv_digest {

struct ScoringContext {
  Config config;
  std::unique_ptr<ScoringBackend> backend;
  std::unique_ptr<ScoreCache> cache;       // may be null
  std::unique_ptr<LexicalScorer> lexical;  // for the pre-filter; may be null
  int prefilter_threshold = -1;            // -1: not computed yet
};

// Builds a context for a profile config (main.cc decides LLM vs lexical).
using ScoringContextFactory =
    std::function<std::unique_ptr<ScoringContext>(Config config)>;

// Per-run contexts, looked up from the run manifest's `profile` and
// `topics_override` fields and kept for the runs seen recently.
class ScoringContexts {
 public:
  ScoringContexts(RedisClient& redis,
                  const std::map<std::string, Config>& profiles,
                  ScoringContextFactory factory);
  // NotFound for a run whose profile is not configured here.
  absl::StatusOr<ScoringContext*> ForRun(const std::string& run_id);
  const Config& default_config() const;

 private:
  RedisClient& redis_;
  const std::map<std::string, Config>& profiles_;
  ScoringContextFactory factory_;
  std::map<std::string, std::unique_ptr<ScoringContext>> by_run_;
};

}  // namespace arxiv_digest
