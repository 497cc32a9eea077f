// The seed tool's stages over scripted ports: title stage (drops, retries,
// strangers, pass-on), h-index and author-id stages, S2 failures, adaptive
// re-batching and one fate per paper.
#include "services/scorer/logic/stage_pipeline.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/services/scorer/scripted_llm.h"

namespace arxiv_digest {
namespace {

namespace stage = contract::fate_stage;

using testing::ScriptedLlm;

// Scores every paper 9/9 and counts its batches.
class FixedBackend : public ScoringBackend {
 public:
  std::vector<size_t> batch_sizes;
  absl::StatusOr<BatchOutcome> ScoreBatch(
      const std::vector<Paper>& papers) override {
    batch_sizes.push_back(papers.size());
    BatchOutcome out;
    for (const Paper& p : papers) {
      Score s;
      s.arxiv_id = p.arxiv_id;
      s.relevance = p.arxiv_id == "2504.00002" ? 3 : 9;
      s.novelty = 9;
      out.scores.push_back(s);
    }
    out.calls.push_back(TokenUsage{1000, 50, 0});
    return out;
  }
  std::string model() const override { return "fixed"; }
};

class FakeS2 : public SemanticScholarSource {
 public:
  absl::StatusOr<std::map<std::string, S2Paper>> answer;
  int calls = 0;
  absl::StatusOr<std::map<std::string, S2Paper>> LookupPapers(
      const std::vector<Paper>&) override {
    ++calls;
    return answer;
  }
};

std::vector<Paper> Papers(int n) {
  std::vector<Paper> out;
  for (int i = 1; i <= n; ++i) {
    Paper p;
    p.arxiv_id = absl::StrCat("2504.0000", i);
    p.title = absl::StrCat("Title ", i);
    p.authors = {absl::StrCat("Author ", i)};
    out.push_back(p);
  }
  return out;
}

Config TestConfig() {
  Config c;
  c.prompts = PromptTexts{"BASE", "INSTR", "CRIT", "TOPICS", "TITLE POSTFIX"};
  c.selection.run_title_filter = true;
  c.filtering.relevance_cutoff = 8;
  c.filtering.novelty_cutoff = 7;
  return c;
}

TEST(StagePipelineTest, TitleStageDropsListedIdsAndRebatchesTheRest) {
  ScriptedLlm llm;
  // Batch 1 (4 papers) drops 1 and 3 and names a stranger; batch 2 drops 5.
  llm.replies = {std::string(R"(["2504.00001", "2504.00003", "2504.09999"])"),
                 std::string(R"(```json
["2504.00005"]
```)")};
  Config config = TestConfig();
  LlmTitleStage title(config.prompts, /*retries=*/2, llm);
  FixedBackend backend;
  SelectionStages stages;
  stages.title = &title;
  stages.title_batch_size = 4;
  stages.abstract_batch_size = 2;
  absl::StatusOr<BatchOutcome> out =
      ScorePapers(Papers(6), config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(llm.prompts.size(), 2u);
  EXPECT_TRUE(absl::StartsWith(llm.prompts[0], "BASE\n\nTOPICS\n\n## Papers"));
  EXPECT_TRUE(absl::EndsWith(llm.prompts[0], "Title 4\n\nTITLE POSTFIX"));
  EXPECT_FALSE(absl::StrContains(llm.prompts[0], "2504.00005"));
  // Survivors 2, 4, 6 packed into full batches of 2: no holes.
  EXPECT_EQ(backend.batch_sizes, (std::vector<size_t>{2, 1}));
  ASSERT_EQ(out->scores.size(), 6u);
  ASSERT_EQ(out->fates.size(), 6u);
  EXPECT_EQ(out->scores[0].comment, kTitleFilteredComment);
  EXPECT_EQ(out->fates[0].stage, stage::kTitle);
  EXPECT_TRUE(out->fates[0].dropped);
  EXPECT_EQ(out->fates[1].stage, stage::kAbstract);
  EXPECT_TRUE(out->fates[1].dropped);  // relevance 3 < 8
  EXPECT_TRUE(absl::StrContains(out->fates[1].reason, "relevance < 8"));
  EXPECT_FALSE(out->fates[3].dropped);
  // Title calls first, then the two abstract calls.
  ASSERT_EQ(out->calls.size(), 4u);
  EXPECT_EQ(out->calls[0].prompt_tokens, 100);
  EXPECT_EQ(out->calls[3].prompt_tokens, 1000);
  EXPECT_EQ(out->reply_errors.size(), 1u);  // the stranger
}

// adaptive_batch_size sizes each stage by the papers entering it, as the
// seed tool does: the title stage by the 8 papers of the run, the abstract
// stage by the 2 the title stage kept (not by the run's 8); a read that
// is half of its run counts double.
TEST(StagePipelineTest, AdaptiveSizesFollowThePapersEnteringEachStage) {
  for (const int64_t run_papers : {int64_t{0}, int64_t{16}}) {
    SCOPED_TRACE(run_papers);
    ScriptedLlm llm;
    llm.replies = {std::string(R"(["2504.00001", "2504.00002"])"),
                   std::string(R"(["2504.00004", "2504.00005", "2504.00006"])"),
                   std::string(R"(["2504.00007"])")};
    Config config = TestConfig();
    LlmTitleStage title(config.prompts, /*retries=*/0, llm);
    FixedBackend backend;
    SelectionStages stages;
    stages.title = &title;
    stages.title_batch_size = 1;
    stages.abstract_batch_size = 1;
    stages.adaptive = true;
    stages.adaptive_threshold = 2;
    stages.run_papers = run_papers;
    absl::StatusOr<BatchOutcome> out =
        ScorePapers(Papers(8), config, backend, nullptr, stages);
    ASSERT_TRUE(out.ok()) << out.status();
    if (run_papers == 0) {
      // Title: 1 x ceil(log2(8 / 2) + 1) = 3 per call: 3 + 3 + 2.
      EXPECT_EQ(llm.prompts.size(), 3u);
      // Abstract: 2 papers <= threshold: the base size, 1 per call.
      EXPECT_EQ(backend.batch_sizes, (std::vector<size_t>{1, 1}));
    } else {
      // Title N = 16: 1 x ceil(log2(8) + 1) = 4 per call: 4 + 4, keeping
      // 3, 4, 7, 8 (4 is a stranger to the second reply). Abstract N =
      // 4 x 16 / 8 = 8: 3 per call.
      EXPECT_EQ(llm.prompts.size(), 2u);
      EXPECT_EQ(backend.batch_sizes, (std::vector<size_t>{3, 1}));
    }
  }
}

// The seed tool's stage switches: with run_abstract_filter (or run_openai)
// off, no abstract call is made and the papers' fates say why.
TEST(StagePipelineTest, AbstractStageSwitchedOffScoresNothing) {
  ScriptedLlm llm;
  llm.replies = {std::string(R"(["2504.00001"])")};
  Config config = TestConfig();
  config.selection.run_abstract_filter = false;
  LlmTitleStage title(config.prompts, /*retries=*/2, llm);
  FixedBackend backend;
  SelectionStages stages;
  stages.title = &title;
  absl::StatusOr<BatchOutcome> out =
      ScorePapers(Papers(3), config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(llm.prompts.size(), 1u);  // the title stage still runs
  EXPECT_TRUE(backend.batch_sizes.empty());
  ASSERT_EQ(out->fates.size(), 3u);
  EXPECT_EQ(out->fates[0].stage, stage::kTitle);
  EXPECT_FALSE(out->scores[1].scored);
  EXPECT_TRUE(absl::StrContains(out->fates[1].reason, "run_abstract_filter"));

  config.selection.run_openai = false;  // no LLM stage at all
  llm.prompts.clear();
  out = ScorePapers(Papers(3), config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(llm.prompts.empty());
  EXPECT_TRUE(backend.batch_sizes.empty());
  EXPECT_TRUE(absl::StrContains(out->fates[0].reason, "run_openai"));
}

TEST(StagePipelineTest, UnusableTitleRepliesAreRetriedThenPassedOn) {
  ScriptedLlm llm;
  llm.replies = {std::string("no list"), std::string("still none"),
                 std::string("nope")};
  Config config = TestConfig();
  LlmTitleStage title(config.prompts, /*retries=*/2, llm);
  FixedBackend backend;
  SelectionStages stages;
  stages.title = &title;
  absl::StatusOr<BatchOutcome> out =
      ScorePapers(Papers(3), config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(llm.prompts.size(), 3u);
  EXPECT_EQ(backend.batch_sizes, std::vector<size_t>{3});  // nothing lost
  for (const contract::PaperFate& f : out->fates) {
    EXPECT_EQ(f.stage, stage::kAbstract);
  }
  EXPECT_EQ(out->calls.size(), 4u);  // failed title replies still cost
}

TEST(StagePipelineTest, TransientTitleCallErrorsLeaveTheReadPending) {
  ScriptedLlm llm;
  llm.replies = {absl::UnavailableError("HTTP 503")};
  Config config = TestConfig();
  LlmTitleStage title(config.prompts, 3, llm);
  FixedBackend backend;
  SelectionStages stages;
  stages.title = &title;
  EXPECT_EQ(
      ScorePapers(Papers(2), config, backend, nullptr, stages).status().code(),
      absl::StatusCode::kUnavailable);
  EXPECT_TRUE(backend.batch_sizes.empty());
}

TEST(StagePipelineTest, TitleStageOffWhenRunTitleFilterOrRunOpenaiIsOff) {
  ScriptedLlm llm;
  Config config = TestConfig();
  config.selection.run_title_filter = false;
  LlmTitleStage title(config.prompts, 3, llm);
  FixedBackend backend;
  SelectionStages stages;
  stages.title = &title;
  ASSERT_TRUE(ScorePapers(Papers(2), config, backend, nullptr, stages).ok());
  config.selection.run_title_filter = true;
  config.selection.run_openai = false;
  ASSERT_TRUE(ScorePapers(Papers(2), config, backend, nullptr, stages).ok());
  EXPECT_TRUE(llm.prompts.empty());
}

S2Paper WithAuthors(std::vector<std::pair<std::string, int>> authors) {
  S2Paper p;
  for (auto& [id, h] : authors) p.authors.push_back(S2Author{id, h});
  return p;
}

TEST(StagePipelineTest, HIndexBelowCutoffIsDroppedWithItsBestHIndex) {
  Config config = TestConfig();
  config.selection.run_title_filter = false;
  config.filtering.h_cutoff = 20;
  FakeS2 s2;
  s2.answer = std::map<std::string, S2Paper>{
      {"2504.00001", WithAuthors({{"11", 5}, {"12", 19}})},
      {"2504.00002", WithAuthors({{"13", 20}})},  // == cutoff: kept
  };
  FixedBackend backend;
  SelectionStages stages;
  stages.s2 = &s2;
  absl::StatusOr<BatchOutcome> out =
      ScorePapers(Papers(3), config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->fates.size(), 3u);
  EXPECT_EQ(out->fates[0].stage, stage::kHIndex);
  EXPECT_TRUE(out->fates[0].dropped);
  EXPECT_EQ(out->fates[0].best_h_index, 19);
  EXPECT_EQ(out->scores[0].comment, "H-index filtered (max is 19<20)");
  EXPECT_EQ(out->fates[1].stage, stage::kAbstract);
  EXPECT_EQ(out->fates[1].best_h_index, 20);
  // Unknown to S2: kept, not dropped as the seed tool would.
  EXPECT_EQ(out->fates[2].stage, stage::kAbstract);
  EXPECT_FALSE(out->fates[2].best_h_index.has_value());
  EXPECT_EQ(backend.batch_sizes, std::vector<size_t>{2});
}

TEST(StagePipelineTest, S2FailureSkipsItsStagesWithAWarning) {
  Config config = TestConfig();
  config.selection.run_title_filter = false;
  config.filtering.h_cutoff = 20;
  FakeS2 s2;
  s2.answer = absl::UnavailableError("connection refused");
  FixedBackend backend;
  SelectionStages stages;
  stages.s2 = &s2;
  absl::StatusOr<BatchOutcome> out =
      ScorePapers(Papers(2), config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(backend.batch_sizes, std::vector<size_t>{2});
  ASSERT_EQ(out->warnings.size(), 1u);
  EXPECT_TRUE(absl::StrContains(out->warnings[0], "connection refused"));
}

TEST(StagePipelineTest, FollowedAuthorsMatchBySemanticScholarIdFirst) {
  Config config = TestConfig();
  config.selection.run_title_filter = false;
  config.selection.run_author_match = true;
  config.selection.author_match_score = 20;
  config.authors = {FollowedAuthor{"Yann LeCun", "1688882"},
                    FollowedAuthor{"Author 2", ""}};
  FakeS2 s2;
  // Paper 1's arXiv name differs, but S2 links it to the followed id.
  s2.answer = std::map<std::string, S2Paper>{
      {"2504.00001", WithAuthors({{"1688882", 90}})}};
  FixedBackend backend;
  SelectionStages stages;
  stages.s2 = &s2;
  absl::StatusOr<BatchOutcome> out =
      ScorePapers(Papers(3), config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(s2.calls, 1);  // h-index off, but followed ids need S2
  EXPECT_TRUE(out->scores[0].author_match);
  EXPECT_EQ(out->fates[0].reason, "followed author (Semantic Scholar id)");
  EXPECT_TRUE(out->scores[1].author_match);  // name fallback
  EXPECT_EQ(out->fates[1].reason, "followed author (name)");
  EXPECT_FALSE(out->scores[2].author_match);
  EXPECT_EQ(backend.batch_sizes, std::vector<size_t>{1});
}

// Papers the h-index and title stages drop carry 0/0; `filtered` keeps
// them out of a digest at cut-offs of 0 while they still count as handled
// (scored), never as unscored.
TEST(StagePipelineTest, HIndexAndTitleDropsAreFilteredNotUnscored) {
  ScriptedLlm llm;
  llm.replies = {std::string(R"(["2504.00002"])")};
  Config config = TestConfig();
  config.filtering.h_cutoff = 20;
  LlmTitleStage title(config.prompts, /*retries=*/0, llm);
  FakeS2 s2;
  s2.answer =
      std::map<std::string, S2Paper>{{"2504.00001", WithAuthors({{"11", 5}})},
                                     {"2504.00002", WithAuthors({{"12", 30}})},
                                     {"2504.00003", WithAuthors({{"13", 30}})}};
  FixedBackend backend;
  SelectionStages stages;
  stages.s2 = &s2;
  stages.title = &title;
  absl::StatusOr<BatchOutcome> out =
      ScorePapers(Papers(3), config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->scores.size(), 3u);
  EXPECT_EQ(out->fates[0].stage, stage::kHIndex);
  EXPECT_TRUE(out->scores[0].filtered);
  EXPECT_TRUE(out->scores[0].scored);
  EXPECT_EQ(out->fates[1].stage, stage::kTitle);
  EXPECT_TRUE(out->scores[1].filtered);
  EXPECT_TRUE(out->scores[1].scored);
  EXPECT_FALSE(out->scores[2].filtered);  // scored by the LLM
}

// A TitleStage that drops everything without marking the scores: the
// pipeline marks them itself.
class BareTitleStage : public TitleStage {
 public:
  absl::StatusOr<TitleStageResult> Filter(const std::vector<Paper>& papers,
                                          int) override {
    TitleStageResult r;
    for (const Paper& p : papers) {
      Score s;
      s.arxiv_id = p.arxiv_id;
      r.dropped.push_back(s);
    }
    return r;
  }
};

TEST(StagePipelineTest, AnyTitleStagesDropsAreFiltered) {
  Config config = TestConfig();
  BareTitleStage title;
  FixedBackend backend;
  SelectionStages stages;
  stages.title = &title;
  absl::StatusOr<BatchOutcome> out =
      ScorePapers(Papers(2), config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->scores.size(), 2u);
  EXPECT_TRUE(out->scores[0].filtered);
  EXPECT_TRUE(out->scores[1].filtered);
}

// authors.txt "Jane Doe, 123": when S2 gave the paper's author ids, a
// namesake with another id (999) is someone else; when S2 cannot tell
// (unreachable, paper unknown), the name is the fallback. A line without
// an id is always matched by name.
TEST(StagePipelineTest, FollowedIdLinesMatchByNameOnlyWhenS2CannotTell) {
  Config config = TestConfig();
  config.selection.run_title_filter = false;
  config.selection.run_author_match = true;
  config.authors = {FollowedAuthor{"Jane Doe", "123"},
                    FollowedAuthor{"Author 2", ""}};
  std::vector<Paper> papers = Papers(2);
  papers[0].authors = {"Jane Doe"};
  FixedBackend backend;
  SelectionStages stages;
  FakeS2 s2;
  stages.s2 = &s2;

  s2.answer = std::map<std::string, S2Paper>{
      {"2504.00001", WithAuthors({{"999", 40}})},
      {"2504.00002", WithAuthors({{"998", 40}})}};
  absl::StatusOr<BatchOutcome> out =
      ScorePapers(papers, config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_FALSE(out->scores[0].author_match);
  EXPECT_EQ(out->fates[0].stage, stage::kAbstract);
  EXPECT_TRUE(out->scores[1].author_match);  // line without an id
  EXPECT_EQ(out->fates[1].reason, "followed author (name)");

  s2.answer = absl::UnavailableError("connection refused");
  out = ScorePapers(papers, config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(out->scores[0].author_match);
  EXPECT_EQ(out->fates[0].reason, "followed author (name)");
  EXPECT_TRUE(out->scores[1].author_match);

  // S2 answers but does not know paper 1: the name decides.
  s2.answer = std::map<std::string, S2Paper>{
      {"2504.00002", WithAuthors({{"998", 40}})}};
  out = ScorePapers(papers, config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(out->scores[0].author_match);

  stages.s2 = nullptr;  // no S2 stage at all
  out = ScorePapers(papers, config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(out->scores[0].author_match);
}

// "Why is paper X in the digest although its authors' h-index is low?":
// when S2 failed, the fates of the papers the h-index stage would have
// judged say it was skipped and why; author matches never faced it.
TEST(StagePipelineTest, S2FailureIsInTheFatesOfPapersThatSkippedTheHIndex) {
  Config config = TestConfig();
  config.selection.run_title_filter = false;
  config.selection.run_author_match = true;
  config.authors = {FollowedAuthor{"Author 3", ""}};
  config.filtering.h_cutoff = 20;
  FakeS2 s2;
  s2.answer = absl::UnavailableError("connection refused");
  FixedBackend backend;
  SelectionStages stages;
  stages.s2 = &s2;
  absl::StatusOr<BatchOutcome> out =
      ScorePapers(Papers(3), config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->fates.size(), 3u);
  EXPECT_EQ(out->fates[0].reason,
            "relevance 9, novelty 9; h-index stage skipped: connection "
            "refused");
  EXPECT_FALSE(out->fates[0].dropped);
  EXPECT_TRUE(absl::StrContains(out->fates[1].reason, "below cutoff"));
  EXPECT_TRUE(absl::EndsWith(out->fates[1].reason,
                             "; h-index stage skipped: connection refused"));
  EXPECT_EQ(out->fates[2].reason, "followed author (name)");

  // Round trip through the fate record, as arxivctl why reads it.
  absl::StatusOr<contract::PaperFate> back =
      contract::DecodePaperFate(contract::EncodePaperFate(out->fates[0]));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, out->fates[0]);

  // With the h-index stage off nothing was skipped.
  config.filtering.h_cutoff = 0;
  config.authors = {FollowedAuthor{"Author 3", "42"}};
  out = ScorePapers(Papers(3), config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->fates[0].reason, "relevance 9, novelty 9");
}

// Semantic Scholar garbage for single entries: the paper whose entry was
// unreadable skips the S2 stages (kept, scored) and its fate says why; an
// author without an h-index is named in the fate of whatever decided the
// paper; the notes are bounded.
TEST(StagePipelineTest, UnreadableS2EntriesAreNamedInTheFates) {
  Config config = TestConfig();
  config.selection.run_title_filter = false;
  config.filtering.h_cutoff = 20;
  FakeS2 s2;
  std::map<std::string, S2Paper> known;
  S2Paper unusable;
  unusable.usable = false;
  unusable.notes = {"Semantic Scholar entry unreadable (no authors array)"};
  known["2504.00001"] = unusable;
  S2Paper low = WithAuthors({{"a", 3}});
  low.authors.push_back(S2Author{"b", std::nullopt});
  low.notes = {
      "Semantic Scholar author b unreadable (hIndex not an "
      "integer): no h-index"};
  known["2504.00002"] = low;
  S2Paper many = WithAuthors({{"c", 50}});
  for (int i = 0; i < 5; ++i) many.notes.push_back(absl::StrCat("note ", i));
  known["2504.00003"] = many;
  s2.answer = known;
  FixedBackend backend;
  SelectionStages stages;
  stages.s2 = &s2;
  absl::StatusOr<BatchOutcome> out =
      ScorePapers(Papers(3), config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->fates.size(), 3u);
  // Unusable entry: as if unknown to S2, so not dropped by the h-index.
  EXPECT_EQ(out->fates[0].stage, "abstract");
  EXPECT_FALSE(out->fates[0].best_h_index.has_value());
  EXPECT_EQ(out->fates[0].reason,
            "relevance 9, novelty 9; Semantic Scholar entry unreadable (no "
            "authors array)");
  EXPECT_TRUE(out->scores[0].scored);
  EXPECT_EQ(out->fates[1].stage, "h_index");
  EXPECT_TRUE(out->fates[1].dropped);
  EXPECT_TRUE(absl::EndsWith(out->fates[1].reason,
                             "; Semantic Scholar author b unreadable "
                             "(hIndex not an integer): no h-index"))
      << out->fates[1].reason;
  EXPECT_TRUE(absl::EndsWith(out->fates[2].reason,
                             "; note 0; note 1; note 2; 2 more Semantic "
                             "Scholar notes"))
      << out->fates[2].reason;
}

// Papers of a title batch whose replies stayed unusable were passed on to
// the abstract stage; their fates say so. Other batches' papers do not.
TEST(StagePipelineTest, PassedOnTitleBatchesAreNamedInTheFates) {
  ScriptedLlm llm;
  llm.replies = {std::string("no list"), std::string("still none"),
                 std::string(R"(["2504.00003"])")};
  Config config = TestConfig();
  LlmTitleStage title(config.prompts, /*retries=*/1, llm);
  FixedBackend backend;
  SelectionStages stages;
  stages.title = &title;
  stages.title_batch_size = 2;
  absl::StatusOr<BatchOutcome> out =
      ScorePapers(Papers(4), config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->fates.size(), 4u);
  const std::string note =
      "; title stage failed, passed on to the abstract stage";
  EXPECT_EQ(out->fates[0].stage, stage::kAbstract);
  EXPECT_EQ(out->fates[0].reason, "relevance 9, novelty 9" + note);
  EXPECT_TRUE(absl::EndsWith(out->fates[1].reason, note));  // below cutoff
  EXPECT_EQ(out->fates[2].stage, stage::kTitle);
  EXPECT_FALSE(absl::StrContains(out->fates[2].reason, "passed on"));
  EXPECT_EQ(out->fates[3].reason, "relevance 9, novelty 9");
}

TEST(StagePipelineTest, PrefilteredPapersRecordTheirFate) {
  Config config = TestConfig();
  config.selection.run_title_filter = false;
  FixedBackend backend;
  SelectionStages stages;
  stages.prefilter = [](const Paper& p) -> std::optional<Score> {
    if (p.arxiv_id != "2504.00001") return std::nullopt;
    Score s;
    s.arxiv_id = p.arxiv_id;
    s.scored = false;
    s.prefiltered = true;
    s.error = "pre-filtered: lexical relevance 1 below 3";
    return s;
  };
  absl::StatusOr<BatchOutcome> out =
      ScorePapers(Papers(2), config, backend, nullptr, stages);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->fates[0].stage, stage::kPrefilter);
  EXPECT_TRUE(out->fates[0].dropped);
  EXPECT_EQ(out->fates[0].reason, "pre-filtered: lexical relevance 1 below 3");
}

}  // namespace
}  // namespace arxiv_digest
