// The built-in scorer used when no LLM API key is configured (offline demo,
// tests). A deterministic lexical relevance model built from the reader's
// paper_topics.txt: the numbered topics with their "Relevant:" and
// "Irrelevant:" lists, and the "**Keywords:**" lists (Relevant, Irrelevant,
// Application). It is far weaker than an LLM but ranks on-topic papers
// clearly above off-topic ones, so the pipeline can be run end to end.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

// Lower-cases, splits on non-alphanumerics and applies a light suffix
// stemmer (plurals, -ing, -ed, -ation, -ion, -ity, final -e) so that
// "quantized", "quantization" and "quantizing" all become "quantiz".
std::vector<std::string> LexicalTokens(std::string_view text);

class LexicalScorer {
 public:
  explicit LexicalScorer(const std::string& topics_text);

  // relevance 1..10 from weighted term hits (title hits weigh double;
  // irrelevant and application keywords subtract), novelty 1..10 from cue
  // phrases, comment naming the matched topics and terms.
  Score ScorePaper(const Paper& paper) const;

  // What was parsed, for tests and diagnostics.
  const std::vector<std::string>& topic_names() const { return topics_; }
  // Weight of the term spelled `phrase` (0 if there is none).
  double TermWeight(std::string_view phrase) const;

 private:
  struct Term {
    std::vector<std::string> stems;
    std::string display;      // lower-case spelling from paper_topics.txt
    double weight = 0;        // > 0 relevant, < 0 irrelevant/application
    std::vector<int> topics;  // indexes into topics_; empty = keyword lists
    std::string kind;         // for negatives: "irrelevant", "application"
    // Terms naming one concept ("mixture of experts" and its "moe") share a
    // group; a paper's hits on a group count once, at the strongest term.
    int group = 0;
  };

  // absl::string_view: Debian's Abseil does not alias std::string_view.
  void ParseTopics(absl::string_view text);
  void AddList(absl::string_view list, double weight, int topic,
               absl::string_view kind);
  // Return the index of the last term added or merged into, -1 if none.
  int AddPhraseWithAcronym(absl::string_view phrase, absl::string_view acronym,
                           double weight, int topic, absl::string_view kind);
  int AddItem(absl::string_view item, double weight, int topic,
              absl::string_view kind);
  int AddTerm(const std::vector<std::string>& words, double weight, int topic,
              absl::string_view kind);

  std::vector<std::string> topics_;
  std::vector<Term> terms_;
};

}  // namespace arxiv_digest
