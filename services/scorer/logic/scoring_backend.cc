#include "services/scorer/logic/scoring_backend.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "lib/prompt/cache_friendly_prompt.h"
#include "lib/prompt/prompt_builder.h"
#include "services/scorer/logic/author_matcher.h"
#include "services/scorer/logic/reply_parser.h"

namespace arxiv_digest {

LlmScoringBackend::LlmScoringBackend(PromptTexts prompts, std::string model,
                                     int retries, LlmClient& llm,
                                     bool cache_friendly)
    : prompts_(std::move(prompts)),
      model_(std::move(model)),
      retries_(retries),
      llm_(llm),
      cache_friendly_(cache_friendly) {}

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
        paper_strings.push_back(PaperToPromptString(p));
      }
    }
    absl::StatusOr<ChatCompletion> reply = llm_.Complete(
        cache_friendly_ ? BuildCacheFriendlyPrompt(prompts_, paper_strings)
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
  std::map<std::string, Score> decided;
  std::vector<Paper> undecided;
  for (const Paper& p : papers) {
    if (config.selection.run_author_match &&
        IsFollowedAuthor(p.authors, config.authors)) {
      Score s;
      s.arxiv_id = p.arxiv_id;
      s.author_match = true;
      s.author_match_score = config.selection.author_match_score;
      s.comment = "Author match";
      decided[p.arxiv_id] = std::move(s);
    } else if (std::optional<Score> skipped =
                   prefilter ? prefilter(p) : std::nullopt) {
      decided[p.arxiv_id] = *std::move(skipped);
    } else {
      undecided.push_back(p);
    }
  }
  std::vector<Paper> for_backend;
  if (cache != nullptr && !undecided.empty()) {
    std::map<std::string, Score> hits = cache->Lookup(undecided);
    for (const Paper& p : undecided) {
      auto hit = hits.find(p.arxiv_id);
      if (hit == hits.end()) {
        for_backend.push_back(p);
      } else {
        hit->second.cached = true;
        decided[p.arxiv_id] = hit->second;
      }
    }
  } else {
    for_backend = std::move(undecided);
  }

  BatchOutcome outcome;
  if (!for_backend.empty()) {
    absl::StatusOr<BatchOutcome> scored = backend.ScoreBatch(for_backend);
    if (!scored.ok()) return scored.status();
    if (cache != nullptr) {
      std::vector<Paper> fresh_papers;
      std::vector<Score> fresh_scores;
      for (size_t i = 0; i < scored->scores.size() && i < for_backend.size();
           ++i) {
        if (scored->scores[i].scored) {
          fresh_papers.push_back(for_backend[i]);
          fresh_scores.push_back(scored->scores[i]);
        }
      }
      cache->Store(fresh_papers, fresh_scores);
    }
    for (Score& s : scored->scores) decided[s.arxiv_id] = std::move(s);
    outcome.calls = std::move(scored->calls);
    outcome.reply_errors = std::move(scored->reply_errors);
  }
  for (const Paper& p : papers) {
    auto it = decided.find(p.arxiv_id);
    if (it != decided.end()) outcome.scores.push_back(it->second);
  }
  return outcome;
}

}  // namespace arxiv_digest
