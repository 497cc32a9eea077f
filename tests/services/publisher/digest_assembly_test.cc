// AssembleDigest on in-memory run data: the reference digest byte for byte,
// the counts, the token totals and cost, file names and manifest fields.
#include "services/publisher/logic/digest_assembly.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "lib/json/json_util.h"
#include "services/publisher/logic/json_renderer.h"

namespace arxiv_digest {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

const std::string kRepo = ARXIV_DIGEST_SOURCE_DIR;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class DigestAssemblyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Config> config = LoadConfig(kRepo + "/configs");
    ASSERT_TRUE(config.ok()) << config.status();
    config_ = *std::move(config);
    inputs_.run.run_id = "2025-04-22-0000abcd";
    inputs_.run.status = "fetched";
    inputs_.run.date = "2025-04-22";
    inputs_.run.model = "gpt-4o";
    inputs_.run.total_papers = 791;
    inputs_.run.scanned_papers = 462;
    inputs_.profile = "default";
    inputs_.config = &config_;
  }

  // A paper with an LLM score, stored as the fetcher and scorer store them.
  void AddScored(const std::string& id, int64_t position, int relevance,
                 int novelty) {
    Paper p;
    p.arxiv_id = id;
    p.title = "Title " + id;
    p.authors = {"A. Author"};
    p.abstract = "Abstract";
    p.position = position;
    Score s;
    s.arxiv_id = id;
    s.relevance = relevance;
    s.novelty = novelty;
    s.comment = "c";
    inputs_.records.papers[id] = PaperToJson(p);
    inputs_.records.scores[id] = ScoreToJson(s);
  }

  Config config_;
  DigestInputs inputs_;
};

// The digest of 2025-04-22 from its scored papers, mixed with papers below
// each cut-off and an unscored one, stored in arxiv id order (not digest
// order): AssembleDigest must select, rank and render it byte for byte.
TEST_F(DigestAssemblyTest, ReproducesReferenceDigestByteForByte) {
  const std::string scored_json =
      ReadAll(kRepo + "/tests/fixtures/reference/scored-2025-04-22.json");
  absl::StatusOr<std::vector<ScoredPaper>> papers =
      ParseScoredJson(scored_json);
  ASSERT_TRUE(papers.ok()) << papers.status();
  ASSERT_GT(papers->size(), 20u);
  for (const ScoredPaper& p : *papers) {
    inputs_.records.papers[p.paper.arxiv_id] = PaperToJson(p.paper);
    inputs_.records.scores[p.paper.arxiv_id] = ScoreToJson(p.score);
  }
  AddScored("2504.00001", 100, 7, 10);  // below the relevance cut-off 8
  AddScored("2504.00002", 101, 10, 6);  // below the novelty cut-off 7
  Score dead;
  dead.arxiv_id = "2504.00003";
  dead.scored = false;
  dead.error = "dead-lettered after 5 deliveries";
  AddScored("2504.00003", 102, 0, 0);
  inputs_.records.scores["2504.00003"] = ScoreToJson(dead);
  // The reference token counts, over two LLM calls.
  inputs_.records.usage = {{"call-1#0", UsageToJson({50000, 7000, 0})},
                           {"call-2#0", UsageToJson({1438, 285, 0})}};

  absl::StatusOr<AssembledDigest> d = AssembleDigest(inputs_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->digest.markdown,
            ReadAll(kRepo + "/tests/fixtures/reference/digest-2025-04-22.md"));
  EXPECT_EQ(d->digest.json, scored_json);
  EXPECT_EQ(d->relevant_papers, static_cast<int64_t>(papers->size()));
  EXPECT_EQ(d->unscored_papers, 1);
  EXPECT_EQ(d->usage, (TokenUsage{51438, 7285, 0}));
  ASSERT_EQ(d->outputs.size(), 3u);
  EXPECT_EQ(d->outputs[0].text, d->digest.markdown);
  EXPECT_EQ(d->outputs[1].text, d->digest.json);
  EXPECT_EQ(d->outputs[2].text, d->digest.html);
  EXPECT_NE(d->digest.html.find("<html"), std::string::npos);
}

TEST_F(DigestAssemblyTest, CountsUnscoredPrefilteredAndSkipsUnreadable) {
  AddScored("2504.00001", 0, 9, 9);
  AddScored("2504.00002", 1, 9, 8);
  Score unscored;  // what the scorer records for a dead-lettered paper
  unscored.arxiv_id = "2504.00003";
  unscored.scored = false;
  unscored.error = "dead-lettered";
  AddScored("2504.00003", 2, 0, 0);
  inputs_.records.scores["2504.00003"] = ScoreToJson(unscored);
  Score prefiltered;
  prefiltered.arxiv_id = "2504.00004";
  prefiltered.scored = false;
  prefiltered.prefiltered = true;
  AddScored("2504.00004", 3, 0, 0);
  inputs_.records.scores["2504.00004"] = ScoreToJson(prefiltered);
  inputs_.records.scores["2504.00005"] = inputs_.records.scores["2504.00001"];
  inputs_.records.papers["2504.00006"] = inputs_.records.papers["2504.00001"];
  inputs_.records.scores["2504.00006"] = "{not json";

  absl::StatusOr<AssembledDigest> d = AssembleDigest(inputs_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->relevant_papers, 2);
  EXPECT_EQ(d->unscored_papers, 1);
  EXPECT_EQ(d->prefiltered_papers, 1);
  ASSERT_EQ(d->skipped.size(), 2u);
  EXPECT_EQ(d->skipped[0].arxiv_id, "2504.00005");  // no such paper
  EXPECT_EQ(d->skipped[1].arxiv_id, "2504.00006");  // unreadable score
  ASSERT_EQ(d->digest.ranked.size(), 2u);
  EXPECT_EQ(d->digest.ranked[0].paper.arxiv_id, "2504.00001");
  EXPECT_NE(d->digest.markdown.find("Total relevant papers: 2"),
            std::string::npos);
}

// With cut-offs of 0 (the default when config.ini omits them), papers the
// h-index and title stages dropped stay out of the digest, as their fates
// say; they count neither as relevant nor as unscored.
TEST_F(DigestAssemblyTest, FilteredPapersStayOutAtZeroCutoffs) {
  config_.filtering.relevance_cutoff = 0;
  config_.filtering.novelty_cutoff = 0;
  AddScored("2504.00001", 0, 9, 9);
  AddScored("2504.00002", 1, 0, 0);
  AddScored("2504.00003", 2, 0, 0);
  Score title;
  title.arxiv_id = "2504.00002";
  title.comment = "Title filtered";
  title.filtered = true;
  inputs_.records.scores["2504.00002"] = ScoreToJson(title);
  Score h_index;
  h_index.arxiv_id = "2504.00003";
  h_index.comment = "H-index filtered (max is 3<20)";
  h_index.filtered = true;
  inputs_.records.scores["2504.00003"] = ScoreToJson(h_index);
  contract::PaperFate title_fate{"2504.00002",
                                 contract::fate_stage::kTitle,
                                 true,
                                 "title stage: irrelevant",
                                 {}};
  contract::PaperFate h_fate{"2504.00003", contract::fate_stage::kHIndex, true,
                             h_index.comment, 3};
  inputs_.records.fates["2504.00002"] = contract::EncodePaperFate(title_fate);
  inputs_.records.fates["2504.00003"] = contract::EncodePaperFate(h_fate);

  absl::StatusOr<AssembledDigest> d = AssembleDigest(inputs_);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->digest.ranked.size(), 1u);
  EXPECT_EQ(d->digest.ranked[0].paper.arxiv_id, "2504.00001");
  EXPECT_EQ(d->relevant_papers, 1);
  EXPECT_EQ(d->unscored_papers, 0);
  EXPECT_EQ(d->prefiltered_papers, 0);
  EXPECT_NE(d->digest.markdown.find("Total relevant papers: 1"),
            std::string::npos);
  EXPECT_EQ(d->digest.markdown.find("Title 2504.00002"), std::string::npos);
  EXPECT_EQ(d->digest.markdown.find("Title 2504.00003"), std::string::npos);
  ASSERT_EQ(d->fates.size(), 3u);
  EXPECT_TRUE(d->fates[0].in_digest);
  EXPECT_FALSE(d->fates[1].in_digest);
  EXPECT_EQ(d->fates[1].stage, contract::fate_stage::kTitle);
  EXPECT_TRUE(d->fates[1].dropped);
  EXPECT_FALSE(d->fates[2].in_digest);
  EXPECT_EQ(d->fates[2].stage, contract::fate_stage::kHIndex);
  EXPECT_TRUE(d->fates[2].dropped);
  // The reader's page says where the others went; the markdown keeps the
  // seed tool's layout.
  const std::string summary =
      "How the 3 papers were selected: 1 dropped by the h-index stage, 1 by "
      "the title stage; 1 in this digest.";
  EXPECT_NE(d->digest.html.find("<p class=\"selection\">" + summary + "</p>"),
            std::string::npos);
  EXPECT_EQ(d->digest.markdown.find("were selected"), std::string::npos);
  EXPECT_EQ(d->digest.selection_summary, summary);  // for the messages
}

TEST_F(DigestAssemblyTest, SumsUsagePricesTheModelAndListsManifestFields) {
  AddScored("2504.00001", 0, 9, 9);
  inputs_.version = 3;
  inputs_.records.usage = {{"a#0", UsageToJson({1000000, 100000, 400000})},
                           {"b#0", "garbage"},  // ignored
                           {"c#0", UsageToJson({0, 0, 0})}};
  PriceTable prices = {{"gpt-4o", ModelPrice{2.0, 10.0, 1.0}}};
  inputs_.prices = &prices;

  absl::StatusOr<AssembledDigest> d = AssembleDigest(inputs_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->model, "gpt-4o");
  EXPECT_TRUE(d->cost.known_model);
  // 600k uncached at 2 + 400k cached at 1 + 100k completion at 10 per 1M.
  EXPECT_DOUBLE_EQ(d->cost.prompt + d->cost.completion, 1.2 + 0.4 + 1.0);
  EXPECT_THAT(
      d->manifest_fields,
      ElementsAre(Pair("status", "published"), Pair("profile", "default"),
                  Pair("digest_version", "3"), Pair("relevant_papers", "1"),
                  Pair("unscored_papers", "0"), Pair("prefiltered_papers", "0"),
                  Pair("prompt_tokens", "1000000"),
                  Pair("completion_tokens", "100000"),
                  Pair("cached_tokens", "400000"), Pair("cost_usd", "2.6")));
  EXPECT_EQ(d->digest.version, 3);
  EXPECT_EQ(d->digest.run_id, "2025-04-22-0000abcd");
}

TEST_F(DigestAssemblyTest, WithoutARunModelTheProfileModelIsPriced) {
  inputs_.run.model.clear();
  config_.selection.model = "no-such-model";
  absl::StatusOr<AssembledDigest> d = AssembleDigest(inputs_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->model, "no-such-model");
  EXPECT_FALSE(d->cost.known_model);
}

TEST_F(DigestAssemblyTest, FileNamesFollowProfileAndVersion) {
  EXPECT_EQ(DigestFileName("default", "2025-04-08", 1, "md"), "2025-04-08.md");
  EXPECT_EQ(DigestFileName("default", "2025-04-08", 2, "json"),
            "2025-04-08.v2.json");
  EXPECT_EQ(DigestFileName("strict", "2025-04-08", 1, "html"),
            "strict/2025-04-08.html");

  config_.output.dump_json = false;
  inputs_.profile = "strict";
  inputs_.version = 2;
  absl::StatusOr<AssembledDigest> d = AssembleDigest(inputs_);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->outputs.size(), 3u);
  EXPECT_EQ(d->outputs[0].format, "md");
  EXPECT_EQ(d->outputs[0].file_name, "strict/2025-04-22.v2.md");
  EXPECT_EQ(d->outputs[0].path_field, "md_path");
  EXPECT_TRUE(d->outputs[0].write_file);
  EXPECT_EQ(d->outputs[1].format, "json");
  EXPECT_FALSE(d->outputs[1].write_file);  // dump_json = false
  EXPECT_EQ(d->outputs[2].format, "html");
  EXPECT_TRUE(d->outputs[2].write_file);  // always
  EXPECT_EQ(d->digest.profile, "strict");
}

TEST_F(DigestAssemblyTest, TopicsOverrideIsShownInThePrompt) {
  inputs_.run.topics_override = "## Relevant Topics\n\nOnly mixture of experts";
  absl::StatusOr<AssembledDigest> d = AssembleDigest(inputs_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_NE(d->digest.markdown.find("Only mixture of experts"),
            std::string::npos);
}

TEST_F(DigestAssemblyTest, ARunWithoutScoresGivesAnEmptyDigest) {
  absl::StatusOr<AssembledDigest> d = AssembleDigest(inputs_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->relevant_papers, 0);
  EXPECT_EQ(d->digest.json, "{}");
  EXPECT_NE(d->digest.markdown.find("Total relevant papers: 0"),
            std::string::npos);
}

TEST_F(DigestAssemblyTest, NoConfigIsAnError) {
  inputs_.config = nullptr;
  EXPECT_EQ(AssembleDigest(inputs_).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace arxiv_digest
