// The LLM backend's batch logic over a scripted LlmClient: re-asking for
// papers missing from a reply, ignoring strangers, author matches.
#include "services/scorer/logic/scoring_backend.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/scorer/logic/prefilter.h"
#include "tests/services/scorer/scripted_llm.h"

namespace arxiv_digest {
namespace {

using testing::ScriptedLlm;

Paper MakePaper(const std::string& id,
                std::vector<std::string> authors = {"A B"}) {
  Paper p;
  p.arxiv_id = id;
  p.title = "Title " + id;
  p.authors = std::move(authors);
  p.abstract = "Abstract of " + id;
  return p;
}

std::string Line(const std::string& id, int r, int n) {
  return absl::StrCat(R"({"ARXIVID": ")", id,
                      R"(", "COMMENT": "c", "RELEVANCE": )", r,
                      R"(, "NOVELTY": )", n, "}\n");
}

PromptTexts Prompts() { return PromptTexts{"BASE", "INSTR", "CRIT", "TOPICS"}; }

TEST(LlmScoringBackendTest, MissingPapersAreAskedAgainThenMarkedUnscored) {
  ScriptedLlm llm;
  // Call 1 scores p1 only (plus a stranger); call 2 scores p2; p3 never.
  llm.replies = {Line("2504.00001", 9, 8) + Line("2504.99999", 1, 1),
                 Line("2504.00002", 7, 6), std::string("no json here")};
  LlmScoringBackend backend(Prompts(), "gpt-4o", /*retries=*/2, llm);
  absl::StatusOr<BatchOutcome> out =
      backend.ScoreBatch({MakePaper("2504.00001"), MakePaper("2504.00002"),
                          MakePaper("2504.00003")});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->scores.size(), 3u);
  EXPECT_EQ(out->scores[0].arxiv_id, "2504.00001");
  EXPECT_EQ(out->scores[0].relevance, 9);
  EXPECT_TRUE(out->scores[0].scored);
  EXPECT_EQ(out->scores[1].arxiv_id, "2504.00002");
  EXPECT_EQ(out->scores[1].novelty, 6);
  EXPECT_EQ(out->scores[2].arxiv_id, "2504.00003");
  EXPECT_FALSE(out->scores[2].scored);
  EXPECT_NE(out->scores[2].error.find("3 attempts"), std::string::npos);
  EXPECT_EQ(out->calls.size(), 3u);
  // Each retry only asks for what is still missing, in input order.
  ASSERT_EQ(llm.prompts.size(), 3u);
  EXPECT_NE(llm.prompts[0].find("ArXiv ID: 2504.00001"), std::string::npos);
  EXPECT_EQ(llm.prompts[1].find("ArXiv ID: 2504.00001"), std::string::npos);
  EXPECT_NE(llm.prompts[1].find("ArXiv ID: 2504.00002"), std::string::npos);
  EXPECT_NE(llm.prompts[1].find("ArXiv ID: 2504.00003"), std::string::npos);
  EXPECT_EQ(llm.prompts[2].find("ArXiv ID: 2504.00002"), std::string::npos);
  bool stranger_reported = false;
  for (const std::string& e : out->reply_errors) {
    stranger_reported |= e.find("2504.99999") != std::string::npos;
  }
  EXPECT_TRUE(stranger_reported);
}

TEST(LlmScoringBackendTest, PromptHasTheReferenceLayout) {
  ScriptedLlm llm;
  llm.replies = {Line("2504.00001", 5, 5)};
  LlmScoringBackend backend(Prompts(), "gpt-4o", 0, llm);
  ASSERT_TRUE(backend.ScoreBatch({MakePaper("2504.00001")}).ok());
  EXPECT_EQ(
      llm.prompts[0],
      "BASE\n\nINSTR\n\nCRIT\n\n## Papers\n\nArXiv ID: 2504.00001\nTitle: "
      "Title "
      "2504.00001\nAuthors: A B\nAbstract: Abstract of 2504.00001\n\nTOPICS");
}

TEST(LlmScoringBackendTest, CacheFriendlyPromptPutsStaticPartsFirst) {
  ScriptedLlm llm;
  llm.replies = {Line("2504.00001", 5, 5)};
  LlmScoringBackend backend(Prompts(), "gpt-4o", 0, llm,
                            /*cache_friendly=*/true);
  ASSERT_TRUE(backend.ScoreBatch({MakePaper("2504.00001")}).ok());
  EXPECT_EQ(llm.prompts[0],
            "BASE\n\nINSTR\n\nCRIT\n\nTOPICS\n\n## Papers\n\nArXiv ID: "
            "2504.00001\nTitle: Title 2504.00001\nAuthors: A B\nAbstract: "
            "Abstract of 2504.00001");
}

class MapCache : public ScoreCache {
 public:
  std::map<std::string, Score> entries;
  std::vector<std::string> stored;
  std::map<std::string, Score> Lookup(
      const std::vector<Paper>& papers) override {
    std::map<std::string, Score> hits;
    for (const Paper& p : papers) {
      auto it = entries.find(p.arxiv_id);
      if (it != entries.end()) hits[p.arxiv_id] = it->second;
    }
    return hits;
  }
  void Store(const std::vector<Paper>& papers,
             const std::vector<Score>& scores) override {
    for (size_t i = 0; i < papers.size(); ++i) {
      stored.push_back(papers[i].arxiv_id);
      entries[papers[i].arxiv_id] = scores[i];
    }
  }
};

// A second run over the same papers costs nothing: every score comes from
// the cache, in input order, and no call is made.
TEST(ScorePapersTest, ScoreCacheMakesRerunsFree) {
  ScriptedLlm llm;
  llm.replies = {Line("2504.00001", 9, 8) + Line("2504.00002", 4, 4)};
  LlmScoringBackend backend(Prompts(), "gpt-4o", 0, llm);
  Config config;
  MapCache cache;
  std::vector<Paper> papers = {MakePaper("2504.00001"), MakePaper("2504.00002"),
                               MakePaper("2504.00003")};
  absl::StatusOr<BatchOutcome> first =
      ScorePapers(papers, config, backend, &cache);
  ASSERT_TRUE(first.ok());
  // 2504.00003 was never scored: it is not cached.
  EXPECT_EQ(cache.stored,
            (std::vector<std::string>{"2504.00001", "2504.00002"}));
  EXPECT_EQ(llm.prompts.size(), 1u);

  llm.replies = {Line("2504.00003", 6, 6)};
  absl::StatusOr<BatchOutcome> second =
      ScorePapers(papers, config, backend, &cache);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(llm.prompts.size(), 2u);
  EXPECT_EQ(llm.prompts[1].find("2504.00001"), std::string::npos);
  ASSERT_EQ(second->scores.size(), 3u);
  EXPECT_EQ(second->scores[0].arxiv_id, "2504.00001");
  EXPECT_TRUE(second->scores[0].cached);
  EXPECT_EQ(second->scores[0].relevance, 9);
  EXPECT_EQ(second->scores[2].arxiv_id, "2504.00003");
  EXPECT_FALSE(second->scores[2].cached);
  EXPECT_EQ(second->scores[2].relevance, 6);

  llm.replies = {};
  absl::StatusOr<BatchOutcome> third =
      ScorePapers(papers, config, backend, &cache);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(llm.prompts.size(), 2u) << "all cached: no call";
  EXPECT_TRUE(third->calls.empty());
}

TEST(LlmScoringBackendTest, ProviderErrorFailsTheWholeBatch) {
  ScriptedLlm llm;
  llm.replies = {absl::UnavailableError("HTTP 503")};
  LlmScoringBackend backend(Prompts(), "gpt-4o", 3, llm);
  absl::StatusOr<BatchOutcome> out =
      backend.ScoreBatch({MakePaper("2504.00001")});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnavailable);
}

TEST(ScorePapersTest, FollowedAuthorsSkipTheLlm) {
  ScriptedLlm llm;
  llm.replies = {Line("2504.00002", 8, 8)};
  LlmScoringBackend backend(Prompts(), "gpt-4o", 0, llm);
  Config config;
  config.selection.run_author_match = true;
  config.selection.author_match_score = 20;
  config.authors = {{"Yoshua Bengio", "1751762"}};
  absl::StatusOr<BatchOutcome> out =
      ScorePapers({MakePaper("2504.00001", {"X Y", "Yoshua Bengio"}),
                   MakePaper("2504.00002")},
                  config, backend);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->scores.size(), 2u);
  EXPECT_EQ(out->scores[0].arxiv_id, "2504.00001");
  EXPECT_TRUE(out->scores[0].author_match);
  EXPECT_EQ(out->scores[0].comment, "Author match");
  EXPECT_DOUBLE_EQ(out->scores[0].author_match_score, 20);
  ASSERT_EQ(llm.prompts.size(), 1u);
  EXPECT_EQ(llm.prompts[0].find("ArXiv ID: 2504.00001"), std::string::npos);

  // With the switch off the same paper goes to the LLM.
  config.selection.run_author_match = false;
  llm.replies = {Line("2504.00001", 3, 3)};
  out = ScorePapers({MakePaper("2504.00001", {"Yoshua Bengio"})}, config,
                    backend);
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->scores[0].author_match);
  EXPECT_EQ(out->scores[0].relevance, 3);
}

TEST(ScorePapersTest, AllAuthorMatchesMakeNoCall) {
  ScriptedLlm llm;
  LlmScoringBackend backend(Prompts(), "gpt-4o", 0, llm);
  Config config;
  config.selection.run_author_match = true;
  config.authors = {{"A B", ""}};
  absl::StatusOr<BatchOutcome> out = ScorePapers(
      {MakePaper("2504.00001"), MakePaper("2504.00002")}, config, backend);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->scores.size(), 2u);
  EXPECT_TRUE(llm.prompts.empty());
  EXPECT_TRUE(out->calls.empty());
}

TEST(LexicalScoringBackendTest, ScoresEveryPaperWithoutCalls) {
  LexicalScoringBackend backend(
      "## Relevant Topics\n\n1. Model Compression\n   - Relevant: Sparsity, "
      "pruning, quantization.\n   - Irrelevant: Straightforward "
      "applications.\n");
  Paper compression = MakePaper("c");
  compression.title = "Quantization and pruning of large language models";
  compression.abstract = "We study sparsity, pruning and quantization.";
  Paper other = MakePaper("o");
  other.title = "A survey of bird migration";
  other.abstract = "Birds fly south in winter.";
  absl::StatusOr<BatchOutcome> out = backend.ScoreBatch({compression, other});
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->scores.size(), 2u);
  EXPECT_TRUE(out->calls.empty());
  EXPECT_EQ(out->scores[0].arxiv_id, "c");
  EXPECT_GT(out->scores[0].relevance, out->scores[1].relevance);
  EXPECT_EQ(backend.model(), "local-lexical");
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

TEST(PrefilterThresholdTest, KeepsTheTopShareWithTies) {
  EXPECT_EQ(PrefilterThreshold({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.3), 8);
  EXPECT_EQ(PrefilterThreshold({5, 5, 5, 1}, 0.25), 5);  // ties pass together
  EXPECT_EQ(PrefilterThreshold({3, 1, 2}, 1.0), 0);
  EXPECT_EQ(PrefilterThreshold({}, 0.5), 0);
  EXPECT_EQ(PrefilterThreshold({4, 9}, 0.01), 9);  // at least one paper passes
}

TEST(ScorePapersTest, PrefilteredPapersNeverReachTheLlmButAuthorsDo) {
  ScriptedLlm llm;
  llm.replies = {Line("2504.00002", 8, 8)};
  LlmScoringBackend backend(Prompts(), "gpt-4o", 0, llm);
  Config config;
  config.selection.run_author_match = true;
  config.authors = {{"Famous Person", ""}};
  PrefilterFn drop_all_but_2 = [](const Paper& p) -> std::optional<Score> {
    if (p.arxiv_id == "2504.00002") return std::nullopt;
    Score s;
    s.arxiv_id = p.arxiv_id;
    s.scored = false;
    s.prefiltered = true;
    return s;
  };
  absl::StatusOr<BatchOutcome> out =
      ScorePapers({MakePaper("2504.00001"), MakePaper("2504.00002"),
                   MakePaper("2504.00003", {"Famous Person"})},
                  config, backend, nullptr, drop_all_but_2);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->scores.size(), 3u);
  EXPECT_TRUE(out->scores[0].prefiltered);
  EXPECT_TRUE(out->scores[1].scored);
  EXPECT_TRUE(out->scores[2].author_match);
  ASSERT_EQ(llm.prompts.size(), 1u);
  EXPECT_EQ(llm.prompts[0].find("2504.00001"), std::string::npos);
  EXPECT_EQ(llm.prompts[0].find("2504.00003"), std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
