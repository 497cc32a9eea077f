// The seed tool's LLM title pre-filter ([SELECTION] run_title_filter): the
// model sees only ids and titles and lists the papers it is sure the reader
// will not want; those are dropped before the (much larger) abstract
// prompts. Unlike the seed tool, a batch whose reply stays unusable after
// title_retry re-asks is passed on to the abstract stage: nothing is lost.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "lib/core/paper.h"
#include "services/scorer/logic/scoring_backend.h"

namespace arxiv_digest {

// The comment the seed tool gives a title-dropped paper.
inline constexpr char kTitleFilteredComment[] = "Title filtered";

struct TitleStageResult {
  std::vector<Paper> kept;     // in input order, for the abstract stage
  std::vector<Score> dropped;  // 0/0 "Title filtered", filtered, in order
  std::vector<TokenUsage> calls;
  std::vector<std::string> errors;     // unusable replies, ignored ids (logs)
  std::vector<std::string> passed_on;  // ids of batches that kept failing
};

class TitleStage {
 public:
  virtual ~TitleStage() = default;
  // Splits papers into batches of batch_size (already adapted to the
  // run's size). An error means nothing may be recorded (the provider is
  // down or rejects the key): the caller leaves the papers pending.
  virtual absl::StatusOr<TitleStageResult> Filter(
      const std::vector<Paper>& papers, int batch_size) = 0;
};

class LlmTitleStage : public TitleStage {
 public:
  // retries = [SELECTION] title_retry.
  LlmTitleStage(PromptTexts prompts, int retries, LlmClient& llm)
      : prompts_(std::move(prompts)), retries_(retries), llm_(llm) {}
  absl::StatusOr<TitleStageResult> Filter(const std::vector<Paper>& papers,
                                          int batch_size) override;

 private:
  PromptTexts prompts_;
  int retries_;
  LlmClient& llm_;
};

// True for call errors that a later delivery may not meet (the provider is
// down, rate-limits or rejects the key): the read stays pending. Other call
// errors (e.g. a 400 for this prompt) count as a failed attempt.
bool IsTransientCallError(const absl::Status& status);

}  // namespace arxiv_digest
