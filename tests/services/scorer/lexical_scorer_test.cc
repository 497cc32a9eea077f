#include "services/scorer/logic/lexical_scorer.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <numeric>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace arxiv_digest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string ReadFile(const std::string& relative_path) {
  std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) + "/" + relative_path,
                   std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << relative_path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const LexicalScorer& RepoScorer() {
  static const LexicalScorer* const kScorer =
      new LexicalScorer(ReadFile("configs/paper_topics.txt"));
  return *kScorer;
}

Paper MakePaper(std::string id, std::string title, std::string abstract) {
  Paper p;
  p.arxiv_id = std::move(id);
  p.title = std::move(title);
  p.abstract = std::move(abstract);
  return p;
}

// The 38 papers GPT-4o selected on 2025-04-08, from the reference digest:
// "## N. [Title](https://arxiv.org/abs/ID)" then "**Abstract:** ...".
std::vector<Paper> GptSelectedPapers() {
  const std::string digest =
      ReadFile("tests/fixtures/reference/digest-2025-04-08.md");
  std::vector<Paper> papers;
  std::istringstream lines(digest);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("## ", 0) == 0 && line.find(". [") != std::string::npos) {
      const size_t open = line.find(". [") + 3;
      const size_t close = line.rfind("](https://arxiv.org/abs/");
      if (close == std::string::npos) continue;
      const size_t id_start =
          close + std::string("](https://arxiv.org/abs/").size();
      papers.push_back(
          MakePaper(line.substr(id_start, line.find(')', id_start) - id_start),
                    line.substr(open, close - open), ""));
    } else if (line.rfind("**Abstract:** ", 0) == 0 && !papers.empty()) {
      papers.back().abstract =
          line.substr(std::string("**Abstract:** ").size());
    }
  }
  return papers;
}

// 40 real papers of the same day that GPT-4o saw and did not select: of the
// 299 papers of that day's cs.CL/cs.CV list (zzhaozeng/daily-arXiv-ai-
// enhanced, 2025-04-08) missing from the digest, every 7th by id, fields
// id/title/summary/authors verbatim. Picked by that rule, not by score.
std::vector<Paper> OffTopicPapers() {
  std::vector<Paper> papers;
  std::istringstream lines(
      ReadFile("tests/fixtures/scorer/offtopic-2025-04-08.jsonl"));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    EXPECT_FALSE(doc.HasParseError()) << line;
    if (doc.HasParseError() || !doc.IsObject()) continue;
    auto text = [&](const char* name) {
      auto it = doc.FindMember(name);
      return it != doc.MemberEnd() && it->value.IsString()
                 ? std::string(it->value.GetString(),
                               it->value.GetStringLength())
                 : std::string();
    };
    papers.push_back(MakePaper(text("id"), text("title"), text("summary")));
  }
  return papers;
}

std::vector<int> Relevances(const std::vector<Paper>& papers) {
  std::vector<int> out;
  for (const Paper& p : papers)
    out.push_back(RepoScorer().ScorePaper(p).relevance);
  return out;
}

double Mean(const std::vector<int>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / v.size();
}

double Median(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

TEST(LexicalScorerTest, ParsesTheTopicsFile) {
  const LexicalScorer& scorer = RepoScorer();
  EXPECT_THAT(scorer.topic_names(),
              ElementsAre("Representation Learning", "Model Architecture",
                          "Model Compression", "Large Language Models (LLMs)",
                          "AI for Science", "Emerging Trends"));
  // Keyword lists, acronyms in parentheses, slash alternatives, examples.
  EXPECT_GT(scorer.TermWeight("mixture of experts"), 0);
  EXPECT_GT(scorer.TermWeight("MoE"), 0);
  EXPECT_GT(scorer.TermWeight("LLMs"), 0);
  EXPECT_GT(scorer.TermWeight("quantization"), 0);
  EXPECT_GT(scorer.TermWeight("low-rank"), 0);
  EXPECT_GT(scorer.TermWeight("dictionary learning"), 0);
  EXPECT_GT(scorer.TermWeight("KV cache"), 0);
  EXPECT_LT(scorer.TermWeight("reinforcement learning"), 0);
  EXPECT_LT(scorer.TermWeight("medical imaging"), 0);
  EXPECT_LT(scorer.TermWeight("time series"), 0);
  EXPECT_LT(scorer.TermWeight("chain of thoughts"), 0);
  EXPECT_EQ(scorer.TermWeight("the"), 0);
  EXPECT_EQ(scorer.TermWeight("insights"), 0);
}

TEST(LexicalScorerTest, TokensAreStemmed) {
  EXPECT_EQ(LexicalTokens("Quantized quantization QUANTIZING"),
            LexicalTokens("quantize quantize quantize"));
  EXPECT_EQ(LexicalTokens("Mixture-of-Experts (MoEs)"),
            LexicalTokens("mixture of expert moe"));
}

TEST(LexicalScorerTest, ScoresAreInRangeDeterministicAndExplained) {
  const Paper paper = MakePaper(
      "2504.00001", "Post-Training Quantization and Pruning of LLMs",
      "We propose a novel quantization method for large language models "
      "(LLMs) and prove that low-rank pruning preserves accuracy.");
  const Score a = RepoScorer().ScorePaper(paper);
  const Score b =
      LexicalScorer(ReadFile("configs/paper_topics.txt")).ScorePaper(paper);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.arxiv_id, "2504.00001");
  EXPECT_GE(a.relevance, 8);
  EXPECT_LE(a.relevance, 10);
  EXPECT_GE(a.novelty, 5);
  EXPECT_THAT(a.comment, StartsWith("Lexical match: Model Compression ("));
  EXPECT_THAT(a.comment, HasSubstr("quantization"));
  EXPECT_THAT(a.comment, HasSubstr("pruning"));
}

TEST(LexicalScorerTest, IrrelevantAndApplicationKeywordsPullDown) {
  const Paper app = MakePaper(
      "2504.00002", "Medical Imaging Segmentation with Diffusion Models",
      "We apply diffusion models to image segmentation of medical imaging "
      "data and release a benchmark dataset.");
  const Score s = RepoScorer().ScorePaper(app);
  const Score neutral = RepoScorer().ScorePaper(
      MakePaper("2504.00009", "Sparse Quantization", "We study quantization."));
  EXPECT_LE(s.relevance, 2);
  // Benchmark/dataset cues put it well below a paper without cues.
  EXPECT_LE(s.novelty, neutral.novelty - 2);
  EXPECT_THAT(s.comment, HasSubstr("against: "));
  EXPECT_THAT(s.comment, HasSubstr("(application)"));

  const Paper nothing = MakePaper("2504.00003", "On Soil Moisture", "Rain.");
  EXPECT_EQ(RepoScorer().ScorePaper(nothing).comment, "Lexical match: none");
}

TEST(LexicalScorerTest, NoveltyCues) {
  const Score novel = RepoScorer().ScorePaper(
      MakePaper("1", "A Theory of Sparse Representations",
                "We prove the first theorem showing a novel paradigm."));
  const Score survey = RepoScorer().ScorePaper(
      MakePaper("2", "A Survey of Benchmarks", "A case study of a dataset."));
  EXPECT_GE(novel.novelty, 8);
  EXPECT_LE(survey.novelty, 2);
}

TEST(LexicalScorerTest, RealDayGptSelectedPapersScoreAboveUnselectedOnes) {
  const std::vector<Paper> selected = GptSelectedPapers();
  const std::vector<Paper> offtopic = OffTopicPapers();
  ASSERT_EQ(selected.size(), 38u);
  ASSERT_EQ(offtopic.size(), 40u);
  for (const Paper& p : selected)
    ASSERT_FALSE(p.abstract.empty()) << p.arxiv_id;

  const std::vector<int> sel = Relevances(selected);
  const std::vector<int> off = Relevances(offtopic);
  const double off_median = Median(off);
  const double share_at_or_above =
      std::count_if(sel.begin(), sel.end(),
                    [&](int r) { return r >= off_median; }) /
      static_cast<double>(sel.size());
  const double share_above =
      std::count_if(sel.begin(), sel.end(),
                    [&](int r) { return r > off_median; }) /
      static_cast<double>(sel.size());
  // AUC: chance that a random selected paper outscores a random unselected
  // one (ties count half); 0.5 would be a coin flip.
  double wins = 0;
  for (int a : sel) {
    for (int b : off) wins += a > b ? 1.0 : a == b ? 0.5 : 0.0;
  }
  const double auc = wins / (sel.size() * off.size());
  std::cout << "AUC " << auc << "; selected mean " << Mean(sel) << " median "
            << Median(sel) << "; off-topic mean " << Mean(off) << " median "
            << off_median << "; selected >= off median " << share_at_or_above
            << ", > off median " << share_above << "\n";
  // LEXICAL_SCORER_VERBOSE=1 lists every paper with its score and comment.
  if (std::getenv("LEXICAL_SCORER_VERBOSE") != nullptr) {
    for (const auto* set : {&selected, &offtopic}) {
      for (const Paper& p : *set) {
        const Score s = RepoScorer().ScorePaper(p);
        std::cout << (set == &selected ? "  SEL " : "  OFF ") << s.relevance
                  << "/" << s.novelty << " " << p.title.substr(0, 60) << " | "
                  << s.comment << "\n";
      }
    }
  }
  // Measured when written: selected mean 5.03, off-topic mean 3.25 (median
  // 2), 94.7% of the selected at or above that median, AUC 0.70. The
  // bounds sit a little below, so the test guards the ranking, not the
  // exact numbers.
  EXPECT_GE(Mean(sel) - Mean(off), 1.25);
  EXPECT_GE(share_at_or_above, 0.85);
  EXPECT_GE(auc, 0.65);
}

}  // namespace
}  // namespace arxiv_digest
