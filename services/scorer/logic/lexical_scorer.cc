#include "services/scorer/logic/lexical_scorer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "lib/core/string_view.h"

namespace arxiv_digest {
namespace {

// How much each list of paper_topics.txt counts. The explicit keyword list
// is the strongest signal (the scoring criteria say a paper "scores the
// highest if it contains relevant keywords"); topic descriptions are prose,
// so single words pulled out of them count only kDerivedWordFactor.
constexpr double kKeywordRelevant = 3.0;
constexpr double kTopicName = 2.5;
constexpr double kTopicRelevant = 2.0;
constexpr double kTopicIrrelevant = -1.0;
constexpr double kKeywordIrrelevant = -2.0;
constexpr double kKeywordApplication = -2.0;
constexpr double kDerivedWordFactor = 0.5;

// A title names what a paper is about; the abstract also mentions context.
constexpr double kTitleFactor = 2.0;
constexpr double kAbstractFactor = 1.0;
// Extra abstract mentions add a little, up to this many.
constexpr int kMaxExtraMentions = 4;
constexpr double kExtraMentionFactor = 0.25;

// Relevance = 2 + 8 * (1 - exp(-raw / kRelevanceScale)): saturating, so a
// few strong hits reach 7-8 and only many reach 10.
constexpr double kRelevanceScale = 8.0;
// Novelty of a paper without cues: 6, the top of the rubric's "Borderline"
// band, where an ordinary foundational arXiv paper sits (GPT-4o gave the
// papers it selected on the reference days 7-8; a lower base left the
// lexical demo digest nearly empty at the default cutoffs). Cues move it.
constexpr double kNoveltyBase = 5.5;

// Words that carry no topic on their own; they end or split a phrase taken
// from the topic descriptions ("Insights into how deep networks ...").
constexpr absl::string_view kFillerWords[] = {"a",
                                              "an",
                                              "the",
                                              "of",
                                              "in",
                                              "on",
                                              "for",
                                              "to",
                                              "into",
                                              "with",
                                              "without",
                                              "by",
                                              "as",
                                              "at",
                                              "from",
                                              "or",
                                              "and",
                                              "how",
                                              "other",
                                              "etc",
                                              "e",
                                              "g",
                                              "eg",
                                              "ie",
                                              "like",
                                              "such",
                                              "their",
                                              "themselves",
                                              "that",
                                              "which",
                                              "insights",
                                              "major",
                                              "breakthroughs",
                                              "analysis",
                                              "existing",
                                              "approaches",
                                              "innovations",
                                              "research",
                                              "foundational",
                                              "significant",
                                              "level",
                                              "work",
                                              "cutting",
                                              "edge",
                                              "challenging",
                                              "established",
                                              "assumptions",
                                              "introducing",
                                              "broad",
                                              "new",
                                              "paradigms",
                                              "incremental",
                                              "improvements",
                                              "trend",
                                              "following",
                                              "novel",
                                              "standard",
                                              "applications",
                                              "known",
                                              "techniques",
                                              "lacking",
                                              "contributions",
                                              "methodological",
                                              "theoretical",
                                              "perspectives",
                                              "merely",
                                              "using",
                                              "certain",
                                              "task",
                                              "tasks",
                                              "structure",
                                              "straightforward",
                                              "domain",
                                              "specific",
                                              "usage",
                                              "tricks",
                                              "empirical",
                                              "studies",
                                              "conventional",
                                              "purely",
                                              "driven",
                                              "generative",
                                              "algorithmic",
                                              "efficiency",
                                              "methods",
                                              "perspective",
                                              "applications",
                                              "existing"};

// Too common in ML abstracts to count alone, fine inside a phrase.
constexpr absl::string_view kGenericWords[] = {
    "model",     "models",      "network", "networks", "learning",
    "neural",    "deep",        "data",    "training", "method",
    "language",  "large",       "system",  "feature",  "information",
    "based",     "performance", "results", "modeling", "encode",
    "inference", "text",        "dynamic", "dynamics"};

// Novelty cues: what the abstract claims about its own contribution.
struct Cue {
  const char* phrase;
  double weight;
};
constexpr Cue kNoveltyCues[] = {
    {"novel", 1.0},           {"first", 1.0},       {"theoretical", 1.0},
    {"theory", 1.0},          {"we prove", 1.5},    {"theorem", 1.5},
    {"provably", 1.0},        {"paradigm", 1.0},    {"breakthrough", 1.0},
    {"fundamental", 0.5},     {"surprising", 1.0},  {"challenge", 0.5},
    {"phenomenon", 0.5},      {"principled", 0.5},  {"unified", 0.5},
    {"new perspective", 1.0}, {"insight", 0.5},     {"benchmark", -1.0},
    {"dataset", -1.0},        {"case study", -1.0}, {"application", -0.5},
    {"survey", -2.0},         {"review", -1.0},     {"empirical study", -1.0},
    {"real world", -0.5},     {"toolkit", -1.0},    {"fine tuning", -0.5},
    {"we evaluate", -0.5},    {"pipeline", -0.5},   {"competition", -1.0}};

bool HasSuffix(absl::string_view s, absl::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

// A deliberately light stemmer: both the topic terms and the paper text go
// through it, so it only has to be consistent, not linguistically right.
std::string Stem(std::string word) {
  if (word.size() > 4 && HasSuffix(word, "ies")) {
    word.replace(word.size() - 3, 3, "y");
  } else if (word.size() > 3 && word.back() == 's' && !HasSuffix(word, "ss") &&
             !HasSuffix(word, "us") && !HasSuffix(word, "is")) {
    word.pop_back();
  }
  constexpr absl::string_view kSuffixes[] = {"ation", "ing", "ion",
                                             "ity",   "ed",  "e"};
  for (absl::string_view suffix : kSuffixes) {
    if (HasSuffix(word, suffix) && word.size() - suffix.size() >= 4) {
      word.resize(word.size() - suffix.size());
      break;
    }
  }
  return word;
}

std::vector<std::string> SurfaceTokens(absl::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(u)) {
      current += absl::ascii_tolower(u);
    } else if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

template <size_t N>
std::set<std::string> StemSet(const absl::string_view (&words)[N]) {
  std::set<std::string> out;
  for (absl::string_view w : words) out.insert(Stem(std::string(w)));
  return out;
}

const std::set<std::string>& FillerStems() {
  static const std::set<std::string>* const kSet =
      new std::set<std::string>(StemSet(kFillerWords));
  return *kSet;
}

const std::set<std::string>& GenericStems() {
  static const std::set<std::string>* const kSet =
      new std::set<std::string>(StemSet(kGenericWords));
  return *kSet;
}

bool IsFiller(const std::string& surface) {
  return FillerStems().count(Stem(surface)) > 0;
}

bool AllGeneric(const std::vector<std::string>& words) {
  for (const std::string& w : words) {
    if (!GenericStems().count(Stem(w))) return false;
  }
  return true;
}

// Occurrences of `phrase` as consecutive tokens of `tokens`.
int CountPhrase(const std::vector<std::string>& tokens,
                const std::vector<std::string>& phrase) {
  if (phrase.empty() || tokens.size() < phrase.size()) return 0;
  int count = 0;
  for (size_t i = 0; i + phrase.size() <= tokens.size(); ++i) {
    if (std::equal(phrase.begin(), phrase.end(),
                   tokens.begin() + static_cast<std::ptrdiff_t>(i))) {
      ++count;
    }
  }
  return count;
}

// Weight of a term's hits in one paper: title presence counts double, the
// abstract once plus a little for repeated mentions.
double HitFactor(int title_hits, int abstract_hits) {
  double factor = title_hits > 0 ? kTitleFactor : 0.0;
  if (abstract_hits > 0) {
    factor +=
        kAbstractFactor +
        kExtraMentionFactor * std::min(abstract_hits - 1, kMaxExtraMentions);
  }
  return factor;
}

// Splits on commas/semicolons outside parentheses.
std::vector<absl::string_view> SplitTopLevel(absl::string_view text) {
  std::vector<absl::string_view> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if ((c == ',' || c == ';') && depth == 0) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

// An abbreviation in parentheses: one short word with a capital, "MoE",
// "LLMs", "KV".
bool IsAcronym(absl::string_view s) {
  s = absl::StripAsciiWhitespace(s);
  if (s.empty() || s.size() > 8) return false;
  bool has_upper = false;
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (!absl::ascii_isalnum(u)) return false;
    has_upper |= absl::ascii_isupper(u);
  }
  return has_upper;
}

}  // namespace

std::vector<std::string> LexicalTokens(std::string_view text) {
  std::vector<std::string> tokens = SurfaceTokens(AsAbsl(text));
  for (std::string& token : tokens) token = Stem(std::move(token));
  return tokens;
}

LexicalScorer::LexicalScorer(const std::string& topics_text) {
  ParseTopics(topics_text);
}

void LexicalScorer::ParseTopics(absl::string_view text) {
  enum class Section { kNone, kTopic, kKeywords };
  Section section = Section::kNone;
  int topic = -1;
  for (absl::string_view raw_line : absl::StrSplit(text, '\n')) {
    const absl::string_view line = absl::StripAsciiWhitespace(raw_line);
    // "3. Model Compression" starts a topic.
    size_t digits = 0;
    while (digits < line.size() && absl::ascii_isdigit(line[digits])) {
      ++digits;
    }
    if (digits > 0 && digits + 1 < line.size() && line[digits] == '.' &&
        line[digits + 1] == ' ') {
      const std::string name(
          absl::StripAsciiWhitespace(line.substr(digits + 1)));
      topics_.push_back(name);
      topic = static_cast<int>(topics_.size()) - 1;
      section = Section::kTopic;
      // The name is one phrase ("Emerging Trends" must not become
      // "emerging"), plus its abbreviation if it has one.
      const size_t open = name.find('(');
      const size_t close = name.find(')', open == std::string::npos ? 0 : open);
      if (open != std::string::npos && close != std::string::npos &&
          IsAcronym(
              absl::string_view(name).substr(open + 1, close - open - 1))) {
        const absl::string_view view(name);
        const int phrase_term =
            AddTerm(SurfaceTokens(view.substr(0, open)), kTopicName, topic, "");
        const int acronym_term =
            AddTerm(SurfaceTokens(view.substr(open + 1, close - open - 1)),
                    kTopicName, topic, "");
        terms_[acronym_term].group = terms_[phrase_term].group;
      } else {
        AddTerm(SurfaceTokens(name), kTopicName, topic, "");
      }
      continue;
    }
    if (absl::StartsWith(line, "**Keywords")) {
      section = Section::kKeywords;
      topic = -1;
      continue;
    }
    if (absl::StartsWith(line, "#")) {
      section = Section::kNone;
      continue;
    }
    absl::string_view item = line;
    if (!absl::ConsumePrefix(&item, "- ") &&
        !absl::ConsumePrefix(&item, "* ")) {
      continue;
    }
    const size_t colon = item.find(':');
    if (colon == absl::string_view::npos || section == Section::kNone) continue;
    const std::string label = absl::AsciiStrToLower(
        absl::StripAsciiWhitespace(item.substr(0, colon)));
    const absl::string_view list = item.substr(colon + 1);
    const bool keywords = section == Section::kKeywords;
    if (label == "relevant") {
      AddList(list, keywords ? kKeywordRelevant : kTopicRelevant, topic, "");
    } else if (label == "irrelevant") {
      AddList(list, keywords ? kKeywordIrrelevant : kTopicIrrelevant, topic,
              "irrelevant");
    } else if (label == "application") {
      AddList(list, kKeywordApplication, topic, "application");
    }
  }
}

// "Mixture-of-Experts (MoE), Transformers, ... (e.g., translation, x)":
// parentheses hold either an abbreviation of the phrase before them or
// examples, which become items of their own.
void LexicalScorer::AddList(absl::string_view list, double weight, int topic,
                            absl::string_view kind) {
  // "finetuning or inference tricks": alternatives are separate items.
  auto add_alternatives = [&](absl::string_view text) {
    int last = -1;
    const std::string spaced = absl::StrCat(" ", text, " ");
    for (absl::string_view a : absl::StrSplit(spaced, " or ")) {
      for (absl::string_view b : absl::StrSplit(a, " and ")) {
        const int added = AddItem(b, weight, topic, kind);
        if (added >= 0) last = added;
      }
    }
    return last;
  };
  for (absl::string_view part : SplitTopLevel(list)) {
    std::string pending;  // text since the last parenthesis
    size_t i = 0;
    while (i < part.size()) {
      const size_t open = part.find('(', i);
      if (open == absl::string_view::npos) {
        absl::StrAppend(&pending, part.substr(i));
        break;
      }
      absl::StrAppend(&pending, part.substr(i, open - i));
      size_t close = part.find(')', open);
      if (close == absl::string_view::npos) close = part.size();
      absl::string_view inner = part.substr(open + 1, close - open - 1);
      if (IsAcronym(inner)) {
        AddPhraseWithAcronym(pending, inner, weight, topic, kind);
        pending.clear();
      } else {
        inner = absl::StripAsciiWhitespace(inner);
        for (absl::string_view prefix :
             {"e.g.", "eg.", "i.e.", "like", "such as"}) {
          if (absl::ConsumePrefix(&inner, prefix)) break;
        }
        for (absl::string_view example : absl::StrSplit(inner, ',')) {
          AddItem(example, weight, topic, kind);
        }
      }
      i = close + 1;
    }
    add_alternatives(pending);
  }
}

int LexicalScorer::AddPhraseWithAcronym(absl::string_view phrase,
                                        absl::string_view acronym,
                                        double weight, int topic,
                                        absl::string_view kind) {
  const int phrase_term = AddItem(phrase, weight, topic, kind);
  const int acronym_term = AddTerm(SurfaceTokens(acronym), weight, topic, kind);
  if (phrase_term >= 0 && acronym_term >= 0) {
    terms_[acronym_term].group = terms_[phrase_term].group;
  }
  return acronym_term;
}

// One item, "feature/dictionary learning" -> "feature learning" and
// "dictionary learning". A short item is one phrase; a long one is broken at
// filler words into phrases of at most three words.
int LexicalScorer::AddItem(absl::string_view item, double weight, int topic,
                           absl::string_view kind) {
  int last = -1;
  std::vector<std::string> variants = {std::string(item)};
  for (bool expanded = true; expanded;) {
    expanded = false;
    std::vector<std::string> next;
    for (const std::string& v : variants) {
      const size_t slash = v.find('/');
      if (slash == std::string::npos) {
        next.push_back(v);
        continue;
      }
      expanded = true;
      size_t start = slash;
      while (start > 0 && v[start - 1] != ' ') --start;
      size_t end = slash;
      while (end < v.size() && v[end] != ' ') ++end;
      const std::string before = v.substr(0, start);
      const std::string after = v.substr(end);
      for (absl::string_view alt : absl::StrSplit(
               absl::string_view(v).substr(start, end - start), '/')) {
        next.push_back(absl::StrCat(before, alt, after));
      }
    }
    variants = std::move(next);
  }

  for (const std::string& variant : variants) {
    std::vector<std::string> words = SurfaceTokens(variant);
    while (!words.empty() && IsFiller(words.front()))
      words.erase(words.begin());
    while (!words.empty() && IsFiller(words.back())) words.pop_back();
    if (words.empty()) continue;
    if (words.size() <= 3) {
      if (AllGeneric(words)) continue;
      last = AddTerm(words, weight, topic, kind);
      continue;
    }
    // Prose: runs of non-filler words, each a phrase (long runs give their
    // word pairs), plus their specific single words at reduced weight.
    std::vector<std::string> run;
    auto flush = [&] {
      if (AllGeneric(run)) {
        // "neural networks": generic words make no topic together either.
      } else if (run.size() >= 2 && run.size() <= 3) {
        last = AddTerm(run, weight, topic, kind);
      } else if (run.size() > 3) {
        for (size_t i = 0; i + 1 < run.size(); ++i) {
          AddTerm({run[i], run[i + 1]}, weight * kDerivedWordFactor, topic,
                  kind);
        }
      }
      for (const std::string& w : run) {
        if (!GenericStems().count(Stem(w))) {
          AddTerm({w}, weight * kDerivedWordFactor, topic, kind);
        }
      }
      run.clear();
    };
    for (const std::string& w : words) {
      if (IsFiller(w)) {
        flush();
      } else {
        run.push_back(w);
      }
    }
    flush();
  }
  return last;
}

int LexicalScorer::AddTerm(const std::vector<std::string>& words, double weight,
                           int topic, absl::string_view kind) {
  Term term;
  for (const std::string& w : words) term.stems.push_back(Stem(w));
  for (Term& existing : terms_) {
    if (existing.stems != term.stems) continue;
    // The same term in several lists: a relevant listing wins over an
    // irrelevant one (the irrelevant lists are prose about "existing
    // architectures" and the like), otherwise the stronger weight wins.
    const bool same_sign = (existing.weight > 0) == (weight > 0);
    if (same_sign && std::abs(weight) > std::abs(existing.weight)) {
      existing.weight = weight;
    } else if (!same_sign && weight > 0) {
      existing.weight = weight;
      existing.kind.clear();
      existing.topics.clear();
    }
    if (topic >= 0 && (existing.weight > 0) == (weight > 0) &&
        std::find(existing.topics.begin(), existing.topics.end(), topic) ==
            existing.topics.end()) {
      existing.topics.push_back(topic);
    }
    return static_cast<int>(&existing - terms_.data());
  }
  term.display = absl::StrJoin(words, " ");
  term.weight = weight;
  if (topic >= 0) term.topics.push_back(topic);
  term.kind = std::string(kind);
  const int group = static_cast<int>(terms_.size());
  term.group = group;
  terms_.push_back(std::move(term));
  return group;
}

double LexicalScorer::TermWeight(std::string_view phrase) const {
  const std::vector<std::string> stems = LexicalTokens(phrase);
  for (const Term& term : terms_) {
    if (term.stems == stems) return term.weight;
  }
  return 0;
}

Score LexicalScorer::ScorePaper(const Paper& paper) const {
  const std::vector<std::string> title = LexicalTokens(paper.title);
  const std::vector<std::string> abstract = LexicalTokens(paper.abstract);

  double positive = 0;
  double negative = 0;
  std::vector<double> topic_weight(topics_.size(), 0.0);
  std::vector<std::vector<std::pair<double, std::string>>> topic_terms(
      topics_.size());
  std::vector<std::pair<double, std::string>> keyword_terms;
  std::vector<std::pair<double, std::string>> against;
  // The strongest hit of each concept group, in file order.
  std::map<int, std::pair<double, const Term*>> hits;
  for (const Term& term : terms_) {
    const double factor = HitFactor(CountPhrase(title, term.stems),
                                    CountPhrase(abstract, term.stems));
    if (factor == 0) continue;
    const double contribution = term.weight * factor;
    auto [it, inserted] =
        hits.emplace(term.group, std::pair(contribution, &term));
    if (!inserted && std::abs(contribution) > std::abs(it->second.first)) {
      it->second = {contribution, &term};
    }
  }
  for (const auto& [group, hit] : hits) {
    const auto& [contribution, term] = hit;
    if (contribution < 0) {
      negative -= contribution;
      against.emplace_back(-contribution,
                           absl::StrCat(term->display, " (", term->kind, ")"));
      continue;
    }
    positive += contribution;
    if (term->topics.empty()) {
      keyword_terms.emplace_back(contribution, term->display);
    }
    for (int t : term->topics) {
      topic_weight[t] += contribution;
      topic_terms[t].emplace_back(contribution, term->display);
    }
  }

  Score score;
  score.arxiv_id = paper.arxiv_id;
  const double raw = positive - negative;
  if (raw > 0) {
    score.relevance = static_cast<int>(
        std::lround(2.0 + 8.0 * (1.0 - std::exp(-raw / kRelevanceScale))));
  } else {
    score.relevance = raw > -2.0 ? 2 : 1;
  }
  score.relevance = std::clamp(score.relevance, 1, 10);

  double cues = 0;
  for (const Cue& cue : kNoveltyCues) {
    const std::vector<std::string> stems = LexicalTokens(cue.phrase);
    // Presence only: an abstract saying "novel" three times is not more
    // novel. A cue in the title ("A Survey of ...") counts a bit more.
    if (CountPhrase(title, stems) > 0) {
      cues += cue.weight * 1.5;
    } else if (CountPhrase(abstract, stems) > 0) {
      cues += cue.weight;
    }
  }
  score.novelty =
      std::clamp(static_cast<int>(std::lround(kNoveltyBase + cues)), 1, 10);

  // "Lexical match: Model Compression (quantization, pruning); keywords
  // (moe); against: diffusion model (irrelevant)". Strongest first; ties
  // keep the file's order so the comment is deterministic.
  auto names = [](std::vector<std::pair<double, std::string>> terms) {
    std::stable_sort(
        terms.begin(), terms.end(),
        [](const auto& a, const auto& b) { return a.first > b.first; });
    if (terms.size() > 3) terms.resize(3);
    std::vector<std::string> out;
    out.reserve(terms.size());
    for (auto& [weight, name] : terms) out.push_back(std::move(name));
    return absl::StrJoin(out, ", ");
  };
  std::vector<int> order;
  for (size_t t = 0; t < topics_.size(); ++t) {
    if (topic_weight[t] > 0) order.push_back(static_cast<int>(t));
  }
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return topic_weight[a] > topic_weight[b];
  });
  if (order.size() > 2) order.resize(2);
  std::vector<std::string> parts;
  parts.reserve(order.size() + 1);
  for (int t : order) {
    parts.push_back(absl::StrCat(topics_[t], " (", names(topic_terms[t]), ")"));
  }
  if (!keyword_terms.empty()) {
    parts.push_back(absl::StrCat("keywords (", names(keyword_terms), ")"));
  }
  if (parts.empty()) parts.emplace_back("none");
  score.comment = absl::StrCat("Lexical match: ", absl::StrJoin(parts, "; "));
  if (!against.empty()) {
    absl::StrAppend(&score.comment, "; against: ", names(against));
  }
  return score;
}

}  // namespace arxiv_digest
