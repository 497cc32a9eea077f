// The per-run scoring contexts (logic/scoring_context.h), looked up in
// Redis from the run manifest.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "lib/redis/redis_client.h"
#include "services/scorer/logic/score_batch.h"
#include "services/scorer/logic/scoring_context.h"

namespace arxiv_digest {

// Per-run contexts, looked up from the run manifest's `profile` and
// `topics_override` fields and kept for the runs seen recently.
class ScoringContexts : public RunContexts {
 public:
  ScoringContexts(RedisClient& redis,
                  const std::map<std::string, Config>& profiles,
                  ScoringContextFactory factory);
  // NotFound for a run whose profile is not configured here.
  absl::StatusOr<ScoringContext*> ForRun(const std::string& run_id) override;
  const Config& default_config() const;
  // Papers per read of the papers stream: the least common multiple of
  // every profile's StreamReadBatch (at most kMaxStreamReadBatch, else the
  // largest), so each profile gets whole batches of its own size.
  int read_batch() const;
  // Given to every context built from now on (not owned; may be null).
  void set_s2(SemanticScholarSource* s2) { s2_ = s2; }

 private:
  SemanticScholarSource* s2_ = nullptr;
  RedisClient& redis_;
  const std::map<std::string, Config>& profiles_;
  ScoringContextFactory factory_;
  std::map<std::string, std::unique_ptr<ScoringContext>> by_run_;
};

}  // namespace arxiv_digest
