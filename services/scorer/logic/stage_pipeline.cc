#include "services/scorer/logic/stage_pipeline.h"

#include <cmath>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/scorer/logic/adaptive_batch.h"
#include "services/scorer/logic/author_matcher.h"

namespace arxiv_digest {
namespace {

namespace stage = contract::fate_stage;

// Semantic Scholar's notes in a fate's reason are bounded (each, and how
// many), so a long error or a paper with many unreadable authors cannot
// push a fate record past the contract's size limit (kMaxSmallJsonBytes).
constexpr size_t kMaxS2NoteBytes = 300;
constexpr size_t kMaxS2Notes = 3;

bool AnyFollowedId(const std::vector<FollowedAuthor>& followed) {
  for (const FollowedAuthor& f : followed) {
    if (!f.id.empty()) return true;
  }
  return false;
}

// True when S2 told this paper's author ids, so followed "Name, id" lines
// can be matched by id rather than by name.
bool KnowsAuthorIds(const S2Paper* paper) {
  if (paper == nullptr) return false;
  for (const S2Author& a : paper->authors) {
    if (!a.author_id.empty()) return true;
  }
  return false;
}

contract::PaperFate Fate(const std::string& id, const char* stage_name,
                         bool dropped, std::string reason) {
  contract::PaperFate f;
  f.arxiv_id = id;
  f.stage = stage_name;
  f.dropped = dropped;
  f.reason = std::move(reason);
  return f;
}

// What one read learnt from Semantic Scholar.
struct S2Knowledge {
  bool asked = false;
  bool failed = false;
  std::string failure;  // why, when failed
  std::map<std::string, S2Paper> papers;
};

S2Knowledge AskS2(const std::vector<Paper>& papers, const Config& config,
                  SemanticScholarSource* s2, BatchOutcome& outcome) {
  S2Knowledge k;
  const bool wanted =
      config.filtering.h_cutoff > 0 ||
      (config.selection.run_author_match && AnyFollowedId(config.authors));
  if (s2 == nullptr || !wanted || papers.empty()) return k;
  k.asked = true;
  absl::StatusOr<std::map<std::string, S2Paper>> found =
      s2->LookupPapers(papers);
  if (!found.ok()) {
    k.failed = true;
    // Repeated in every paper's fate: bounded, so a long error body cannot
    // push a fate record past the contract's size limit.
    k.failure =
        std::string(found.status().message().substr(0, kMaxS2NoteBytes));
    outcome.warnings.push_back(
        absl::StrCat("Semantic Scholar stages skipped for ", papers.size(),
                     " papers: ", found.status().message()));
    return k;
  }
  k.papers = *std::move(found);
  return k;
}

}  // namespace

int StageBatchSize(int base_size, size_t entering, size_t read,
                   const SelectionStages& stages) {
  if (!stages.adaptive) return base_size;
  size_t n = entering;
  if (stages.run_papers > 0 && read > 0) {
    n = static_cast<size_t>(std::llround(
        static_cast<double>(entering) * static_cast<double>(stages.run_papers) /
        static_cast<double>(read)));
  }
  return AdaptiveBatchSize(base_size, n, true, stages.adaptive_threshold);
}

contract::PaperFate ScoredFate(const Score& score, const Config& config,
                               const char* stage_name) {
  const int rc = config.filtering.relevance_cutoff;
  const int nc = config.filtering.novelty_cutoff;
  if (!score.scored) {
    return Fate(score.arxiv_id, stage::kUnscored, true, score.error);
  }
  std::string reason =
      absl::StrCat("relevance ", score.relevance, ", novelty ", score.novelty);
  const bool low_r = score.relevance < rc;
  const bool low_n = score.novelty < nc;
  if (low_r || low_n) {
    absl::StrAppend(&reason, ": scores below cutoff (",
                    low_r ? absl::StrCat("relevance < ", rc) : "",
                    low_r && low_n ? ", " : "",
                    low_n ? absl::StrCat("novelty < ", nc) : "", ")");
  }
  return Fate(score.arxiv_id, stage_name, low_r || low_n, std::move(reason));
}

absl::StatusOr<BatchOutcome> ScorePapers(const std::vector<Paper>& papers,
                                         const Config& config,
                                         ScoringBackend& backend,
                                         ScoreCache* cache,
                                         const SelectionStages& stages) {
  BatchOutcome outcome;
  const S2Knowledge s2 = AskS2(papers, config, stages.s2, outcome);
  const int h_cutoff = config.filtering.h_cutoff;
  std::map<std::string, Score> decided;
  std::map<std::string, contract::PaperFate> fates;
  std::map<std::string, int> best_h;
  // What a fate's reason adds for stages that could not decide ("why is
  // it here although ...?"), appended after the deciding stage's reason.
  std::map<std::string, std::vector<std::string>> notes;
  // authors.txt lines to match by name when S2 gave a paper's author ids
  // (the lines without an id); otherwise every line is matched by name.
  const std::vector<FollowedAuthor> unidentified =
      NameMatchCandidates(config.authors, /*author_ids_known=*/true);
  std::vector<Paper> undecided;
  for (const Paper& p : papers) {
    auto known = s2.papers.find(p.arxiv_id);
    const S2Paper* s2p = known == s2.papers.end() ? nullptr : &known->second;
    // What S2 could not answer goes into the fate, whatever decides.
    if (s2p != nullptr && !s2p->notes.empty()) {
      std::vector<std::string>& mine = notes[p.arxiv_id];
      for (size_t i = 0; i < s2p->notes.size() && i < kMaxS2Notes; ++i) {
        mine.push_back(s2p->notes[i].substr(0, kMaxS2NoteBytes));
      }
      if (s2p->notes.size() > kMaxS2Notes) {
        mine.push_back(absl::StrCat(s2p->notes.size() - kMaxS2Notes,
                                    " more Semantic Scholar notes"));
      }
    }
    if (s2p != nullptr && !s2p->usable) s2p = nullptr;  // as if unknown
    if (s2p != nullptr) best_h[p.arxiv_id] = BestHIndex(*s2p);
    if (config.selection.run_author_match) {
      const bool by_id = s2p != nullptr && FollowedById(*s2p, config.authors);
      const bool by_name =
          !by_id &&
          IsFollowedAuthor(p.authors,
                           KnowsAuthorIds(s2p) ? unidentified : config.authors);
      if (by_id || by_name) {
        Score s;
        s.arxiv_id = p.arxiv_id;
        s.author_match = true;
        s.author_match_score = config.selection.author_match_score;
        s.comment = "Author match";
        decided[p.arxiv_id] = std::move(s);
        fates[p.arxiv_id] = Fate(p.arxiv_id, stage::kAuthorMatch, false,
                                 by_id ? "followed author (Semantic Scholar id)"
                                       : "followed author (name)");
        continue;
      }
    }
    if (h_cutoff > 0 && s2.failed) {
      notes[p.arxiv_id].push_back(
          absl::StrCat("h-index stage skipped: ", s2.failure));
    }
    if (h_cutoff > 0 && s2p != nullptr &&
        BelowHIndexCutoff(best_h[p.arxiv_id], h_cutoff)) {
      Score s;
      s.arxiv_id = p.arxiv_id;
      s.filtered = true;  // 0/0 is no verdict: never in a digest
      s.comment = HIndexFilteredComment(best_h[p.arxiv_id], h_cutoff);
      fates[p.arxiv_id] = Fate(p.arxiv_id, stage::kHIndex, true, s.comment);
      decided[p.arxiv_id] = std::move(s);
      continue;
    }
    if (std::optional<Score> skipped =
            stages.prefilter ? stages.prefilter(p) : std::nullopt) {
      fates[p.arxiv_id] =
          Fate(p.arxiv_id, stage::kPrefilter, true, skipped->error);
      decided[p.arxiv_id] = *std::move(skipped);
      continue;
    }
    undecided.push_back(p);
  }

  std::vector<Paper> for_llm;
  std::map<std::string, Score> hits;
  if (cache != nullptr && !undecided.empty()) hits = cache->Lookup(undecided);
  for (const Paper& p : undecided) {
    auto hit = hits.find(p.arxiv_id);
    if (hit == hits.end()) {
      for_llm.push_back(p);
      continue;
    }
    hit->second.cached = true;
    fates[p.arxiv_id] = ScoredFate(hit->second, config, stage::kCache);
    decided[p.arxiv_id] = hit->second;
  }

  if (stages.title != nullptr && config.selection.run_title_filter &&
      config.selection.run_openai && !for_llm.empty()) {
    absl::StatusOr<TitleStageResult> titled = stages.title->Filter(
        for_llm, StageBatchSize(stages.title_batch_size, for_llm.size(),
                                papers.size(), stages));
    if (!titled.ok()) return titled.status();
    for (const TokenUsage& u : titled->calls) outcome.calls.push_back(u);
    for (std::string& e : titled->errors) {
      outcome.reply_errors.push_back(std::move(e));
    }
    for (const std::string& id : titled->passed_on) {
      notes[id].push_back(
          "title stage failed, passed on to the abstract stage");
    }
    for (Score& s : titled->dropped) {
      s.filtered = true;  // whatever the TitleStage: never in a digest
      fates[s.arxiv_id] =
          Fate(s.arxiv_id, stage::kTitle, true,
               "title stage: the model listed it as irrelevant");
      decided[s.arxiv_id] = std::move(s);
    }
    for_llm = std::move(titled->kept);
  }

  if (!config.selection.run_openai || !config.selection.run_abstract_filter) {
    // The seed tool's switches: no LLM scoring of abstracts. What got this
    // far is left unscored on purpose (never paid for, never in a digest),
    // and its fate says which switch did it.
    const std::string why =
        !config.selection.run_openai
            ? "not scored: run_openai = false (no LLM stage)"
            : "not scored: run_abstract_filter = false";
    for (const Paper& p : for_llm) {
      Score s;
      s.arxiv_id = p.arxiv_id;
      s.scored = false;
      s.error = why;
      fates[p.arxiv_id] = Fate(p.arxiv_id, stage::kAbstract, true, why);
      decided[p.arxiv_id] = std::move(s);
    }
    for_llm.clear();
  }

  const int abstract_batch_size = StageBatchSize(
      stages.abstract_batch_size, for_llm.size(), papers.size(), stages);
  for (const std::vector<Paper>& batch :
       SplitIntoBatches(for_llm, abstract_batch_size)) {
    absl::StatusOr<BatchOutcome> scored = backend.ScoreBatch(batch);
    if (!scored.ok()) return scored.status();
    if (cache != nullptr) {
      std::vector<Paper> fresh_papers;
      std::vector<Score> fresh_scores;
      for (size_t i = 0; i < scored->scores.size() && i < batch.size(); ++i) {
        if (scored->scores[i].scored) {  // the abstract stage never filters
          fresh_papers.push_back(batch[i]);
          fresh_scores.push_back(scored->scores[i]);
        }
      }
      cache->Store(fresh_papers, fresh_scores);
    }
    for (Score& s : scored->scores) {
      fates[s.arxiv_id] = ScoredFate(s, config, stage::kAbstract);
      decided[s.arxiv_id] = std::move(s);
    }
    for (const TokenUsage& u : scored->calls) outcome.calls.push_back(u);
    for (std::string& e : scored->reply_errors) {
      outcome.reply_errors.push_back(std::move(e));
    }
  }

  for (const Paper& p : papers) {
    auto it = decided.find(p.arxiv_id);
    if (it == decided.end()) continue;
    outcome.scores.push_back(it->second);
    contract::PaperFate fate =
        fates.count(p.arxiv_id)
            ? fates[p.arxiv_id]
            : ScoredFate(it->second, config, stage::kAbstract);
    auto h = best_h.find(p.arxiv_id);
    if (h != best_h.end()) fate.best_h_index = h->second;
    if (auto n = notes.find(p.arxiv_id); n != notes.end()) {
      absl::StrAppend(&fate.reason, fate.reason.empty() ? "" : "; ",
                      absl::StrJoin(n->second, "; "));
    }
    outcome.fates.push_back(std::move(fate));
  }
  return outcome;
}

}  // namespace arxiv_digest
