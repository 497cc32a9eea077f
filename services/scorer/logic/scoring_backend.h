// How a batch of papers gets scores: the LLM backend (prompt, chat call,
// tolerant reply parsing, re-asking for missing papers) or the built-in
// lexical backend for the offline demo. Author matches bypass both.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "lib/contract/paper_fate.h"
#include "lib/core/paper.h"
#include "services/scorer/logic/lexical_scorer.h"
#include "services/scorer/logic/openai_protocol.h"

namespace arxiv_digest {

class TitleStage;  // title_stage.h

// One scored batch: a score for every input paper (unscored ones carry
// scored=false and the reason) and the token usage of each call made.
struct BatchOutcome {
  std::vector<Score> scores;
  std::vector<TokenUsage> calls;
  std::vector<std::string> reply_errors;  // unusable reply lines, for logs
  // One per score, in the same order (ScorePapers fills them): which stage
  // decided the paper and why.
  std::vector<contract::PaperFate> fates;
  // Stages skipped for this batch (e.g. Semantic Scholar unreachable).
  std::vector<std::string> warnings;
};

class ScoringBackend {
 public:
  virtual ~ScoringBackend() = default;
  // An error means nothing of the batch may be recorded (e.g. the provider
  // is down); the caller leaves the papers pending and retries later.
  virtual absl::StatusOr<BatchOutcome> ScoreBatch(
      const std::vector<Paper>& papers) = 0;
  // The model name shown in the digest header.
  virtual std::string model() const = 0;
  // The LLM title stage on the same model and client (stage_pipeline.h);
  // null for backends without one (lexical).
  virtual TitleStage* title_stage() { return nullptr; }
};

// A chat-completions endpoint (the adapter handles HTTP, auth, retries).
class LlmClient {
 public:
  virtual ~LlmClient() = default;
  virtual absl::StatusOr<ChatCompletion> Complete(
      const std::string& prompt) = 0;
};

class LlmScoringBackend : public ScoringBackend {
 public:
  // retries = [SELECTION] abstract_retry: how often papers missing from a
  // reply are asked again. cache_friendly: send the static prompt parts
  // before the papers (BuildCacheFriendlyPrompt) instead of the reference
  // order (BuildScoringPrompt).
  // title_retries = [SELECTION] title_retry, for title_stage().
  LlmScoringBackend(PromptTexts prompts, std::string model, int retries,
                    LlmClient& llm, bool cache_friendly = false,
                    int title_retries = 3);
  ~LlmScoringBackend() override;
  absl::StatusOr<BatchOutcome> ScoreBatch(
      const std::vector<Paper>& papers) override;
  std::string model() const override { return model_; }
  TitleStage* title_stage() override { return title_.get(); }
  // Overrides the prompt order chosen by cache_friendly (e.g. the seed
  // tool's, lib/prompt/seed_prompt.h).
  using PromptBuilder = std::function<std::string(
      const PromptTexts&, const std::vector<std::string>&)>;
  void set_prompt_builder(PromptBuilder builder) {
    prompt_builder_ = std::move(builder);
  }

 private:
  PromptBuilder prompt_builder_;
  std::unique_ptr<TitleStage> title_;
  PromptTexts prompts_;
  std::string model_;
  int retries_;
  LlmClient& llm_;
  bool cache_friendly_;
};

class LexicalScoringBackend : public ScoringBackend {
 public:
  explicit LexicalScoringBackend(const std::string& topics);
  absl::StatusOr<BatchOutcome> ScoreBatch(
      const std::vector<Paper>& papers) override;
  std::string model() const override { return "local-lexical"; }

 private:
  LexicalScorer scorer_;
};

// Remembered scores per (paper id + version, prompt fingerprint, model), so
// re-runs and rescoring of unchanged papers cost nothing.
class ScoreCache {
 public:
  virtual ~ScoreCache() = default;
  // Hits only; misses and lookup errors are simply absent (a cache).
  virtual std::map<std::string, Score> Lookup(
      const std::vector<Paper>& papers) = 0;
  virtual void Store(const std::vector<Paper>& papers,
                     const std::vector<Score>& scores) = 0;
};

// The plain stage list (author match by name, pre-filter, cache, one
// backend call): stage_pipeline.h's ScorePapers without S2 or title stage.
// Splits off papers by followed authors (scored "Author match" without the
// LLM, when [SELECTION] run_author_match is on) and cached scores, and
// sends the rest to the backend; the outcome covers every input paper, in
// input order. New LLM scores go into the cache (when one is given).
// prefilter (optional) decides papers that never reach the LLM; author
// matches are never pre-filtered.
using PrefilterFn = std::function<std::optional<Score>(const Paper&)>;
absl::StatusOr<BatchOutcome> ScorePapers(const std::vector<Paper>& papers,
                                         const Config& config,
                                         ScoringBackend& backend,
                                         ScoreCache* cache = nullptr,
                                         const PrefilterFn& prefilter = {});

}  // namespace arxiv_digest
