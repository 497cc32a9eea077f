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

 private:
  RedisClient& redis_;
  const std::map<std::string, Config>& profiles_;
  ScoringContextFactory factory_;
  std::map<std::string, std::unique_ptr<ScoringContext>> by_run_;
};

}  // namespace arxiv_digest
