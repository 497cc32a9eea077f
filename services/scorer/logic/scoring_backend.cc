#include "services/scorer/logic/scoring_backend.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "lib/prompt/cache_friendly_prompt.h"
#include "lib/prompt/prompt_builder.h"
#include "services/scorer/logic/reply_parser.h"
#include "services/scorer/logic/stage_pipeline.h"
#include "services/scorer/logic/title_stage.h"

namespace arxiv_digest {

LlmScoringBackend::LlmScoringBackend(PromptTexts prompts, std::string model,
                                     int retries, LlmClient& llm,
                                     bool cache_friendly, int title_retries)
    : title_(std::make_unique<LlmTitleStage>(prompts, title_retries, llm)),
      prompts_(std::move(prompts)),
      model_(std::move(model)),
      retries_(retries),
      llm_(llm),
      cache_friendly_(cache_friendly) {}

LlmScoringBackend::~LlmScoringBackend() = default;

absl::StatusOr<BatchOutcome> LlmScoringBackend::ScoreBatch(
    const std::vector<Paper>& papers) {
  BatchOutcome outcome;
  std::map<std::string, const Paper*> pending;
  for (const Paper& p : papers) pending[p.arxiv_id] = &p;
  std::map<std::string, Score> scored;

  for (int attempt = 0; attempt <= retries_ && !pending.empty(); ++attempt) {
    // Keep the input order in the prompt, as the Python tool did.
    std::vector<std::string> paper_strings;
    for (const Paper& p : papers) {
      if (pending.count(p.arxiv_id)) {
        paper_strings.push_back(PaperToPromptString(p, prompts_.layout));
      }
    }
    absl::StatusOr<ChatCompletion> reply = llm_.Complete(
        prompt_builder_   ? prompt_builder_(prompts_, paper_strings)
        : cache_friendly_ ? BuildCacheFriendlyPrompt(prompts_, paper_strings)
                          : BuildScoringPrompt(prompts_, paper_strings));
    if (!reply.ok()) return reply.status();
    outcome.calls.push_back(reply->usage);
    ParsedReply parsed = ParseScoringReply(reply->content);
    for (std::string& e : parsed.errors) {
      outcome.reply_errors.push_back(std::move(e));
    }
    for (Score& s : parsed.scores) {
      if (!pending.count(s.arxiv_id)) {
        if (!scored.count(s.arxiv_id)) {
          outcome.reply_errors.push_back(absl::StrCat(
              "reply names a paper not in the batch: ", s.arxiv_id));
        }
        continue;
      }
      pending.erase(s.arxiv_id);
      scored[s.arxiv_id] = std::move(s);
    }
  }
  for (const Paper& p : papers) {
    auto it = scored.find(p.arxiv_id);
    if (it != scored.end()) {
      outcome.scores.push_back(it->second);
    } else {
      Score missing;
      missing.arxiv_id = p.arxiv_id;
      missing.scored = false;
      missing.error = absl::StrCat("missing from the model's reply after ",
                                   retries_ + 1, " attempts");
      outcome.scores.push_back(std::move(missing));
    }
  }
  return outcome;
}

LexicalScoringBackend::LexicalScoringBackend(const std::string& topics)
    : scorer_(topics) {}

absl::StatusOr<BatchOutcome> LexicalScoringBackend::ScoreBatch(
    const std::vector<Paper>& papers) {
  BatchOutcome outcome;
  for (const Paper& p : papers) {
    Score s = scorer_.ScorePaper(p);
    s.arxiv_id = p.arxiv_id;
    outcome.scores.push_back(std::move(s));
  }
  return outcome;
}

absl::StatusOr<BatchOutcome> ScorePapers(const std::vector<Paper>& papers,
                                         const Config& config,
                                         ScoringBackend& backend,
                                         ScoreCache* cache,
                                         const PrefilterFn& prefilter) {
  SelectionStages stages;
  stages.prefilter = prefilter;
  return ScorePapers(papers, config, backend, cache, stages);
}

}  // namespace arxiv_digest
