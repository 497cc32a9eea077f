// Paper fates on the real day 2025-04-22: the reference digest's papers
// with the scorer's fate records, plus papers dropped at every stage, one
// the publisher's cut-off removes although the scorer kept it, an unscored
// one without a record, one without anything, and a corrupt record.
// AssembleDigest must keep the markdown and the papers of the JSON byte for
// byte and add one final fate per paper.
#include "services/publisher/logic/paper_fates.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "lib/json/json_util.h"
#include "services/publisher/logic/digest_assembly.h"
#include "services/publisher/logic/json_renderer.h"

namespace arxiv_digest {
namespace {

namespace stage = contract::fate_stage;

const std::string kRepo = ARXIV_DIGEST_SOURCE_DIR;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

contract::PaperFate Recorded(const std::string& id, const char* stage_name,
                             bool dropped, const std::string& reason,
                             std::optional<int> h = std::nullopt) {
  return contract::PaperFate{id, stage_name, dropped, reason, h};
}

class PaperFatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Config> config = LoadConfig(kRepo + "/configs");
    ASSERT_TRUE(config.ok()) << config.status();
    config_ = *std::move(config);
    inputs_.run.run_id = "2025-04-22-0000abcd";
    inputs_.run.status = "fetched";
    inputs_.run.date = "2025-04-22";
    inputs_.run.total_papers = 791;
    inputs_.run.scanned_papers = 462;
    inputs_.profile = "default";
    inputs_.config = &config_;
    scored_json_ =
        ReadAll(kRepo + "/tests/fixtures/reference/scored-2025-04-22.json");
    absl::StatusOr<std::vector<ScoredPaper>> papers =
        ParseScoredJson(scored_json_);
    ASSERT_TRUE(papers.ok()) << papers.status();
    reference_ = *std::move(papers);
    // The reference token counts, for the markdown header.
    inputs_.records.usage = {{"call-1#0", UsageToJson({50000, 7000, 0})},
                             {"call-2#0", UsageToJson({1438, 285, 0})}};
    for (const ScoredPaper& p : reference_) {
      inputs_.records.papers[p.paper.arxiv_id] = PaperToJson(p.paper);
      inputs_.records.scores[p.paper.arxiv_id] = ScoreToJson(p.score);
      inputs_.records.fates[p.paper.arxiv_id] = contract::EncodePaperFate(
          p.score.author_match
              ? Recorded(p.paper.arxiv_id, stage::kAuthorMatch, false,
                         "followed author (name)")
              : Recorded(p.paper.arxiv_id, stage::kAbstract, false,
                         absl::StrCat("relevance ", p.score.relevance,
                                      ", novelty ", p.score.novelty),
                         31));
    }
  }

  // A paper of the run with its score and (when given) its fate record.
  void Add(const std::string& id, int64_t position, const Score& score,
           std::optional<contract::PaperFate> fate) {
    Paper p;
    p.arxiv_id = id;
    p.title = "Title " + id;
    p.authors = {"A. Author"};
    p.abstract = "Abstract";
    p.position = position;
    inputs_.records.papers[id] = PaperToJson(p);
    inputs_.records.scores[id] = ScoreToJson(score);
    if (fate) inputs_.records.fates[id] = contract::EncodePaperFate(*fate);
  }

  static Score Scored(const std::string& id, int relevance, int novelty) {
    Score s;
    s.arxiv_id = id;
    s.relevance = relevance;
    s.novelty = novelty;
    s.comment = "c";
    return s;
  }

  Config config_;
  DigestInputs inputs_;
  std::string scored_json_;
  std::vector<ScoredPaper> reference_;
};

TEST_F(PaperFatesTest, EveryPaperOfARealRunGetsItsFinalFate) {
  // h-index stage: scores 0/0 with the comment, and a dropped record.
  Score h = Scored("2504.00001", 0, 0);
  h.comment = "h-index 7 < 20";
  Add("2504.00001", 100, h,
      Recorded("2504.00001", stage::kHIndex, true, "h-index 7 < 20", 7));
  Add("2504.00002", 101, Scored("2504.00002", 0, 0),
      Recorded("2504.00002", stage::kTitle, true,
               "title stage: the model listed it as irrelevant"));
  Score pre = Scored("2504.00003", 0, 0);
  pre.scored = false;
  pre.prefiltered = true;
  pre.error = "lexical pre-filter: 0.01 < 0.05";
  Add("2504.00003", 102, pre,
      Recorded("2504.00003", stage::kPrefilter, true, pre.error));
  Add("2504.00004", 103, Scored("2504.00004", 5, 9),
      Recorded("2504.00004", stage::kAbstract, true,
               "relevance 5, novelty 9: scores below cutoff (relevance < 8)"));
  // Kept by a scorer with other cut-offs, cut by the publisher's.
  Add("2504.00005", 104, Scored("2504.00005", 7, 6),
      Recorded("2504.00005", stage::kCache, false, "relevance 7, novelty 6"));
  // Dead-lettered: unscored, no record.
  Score dead = Scored("2504.00006", 0, 0);
  dead.scored = false;
  dead.error = "dead-lettered after 5 deliveries";
  Add("2504.00006", 105, dead, std::nullopt);
  // A paper with nothing but its paper record.
  Add("2504.00007", 106, Scored("2504.00007", 0, 0), std::nullopt);
  inputs_.records.scores.erase("2504.00007");
  // A corrupt record, and one naming another paper.
  Add("2504.00008", 107, Scored("2504.00008", 3, 3), std::nullopt);
  inputs_.records.fates["2504.00008"] = "{\"stage\":";
  Add("2504.00009", 108, Scored("2504.00009", 3, 3),
      Recorded("2504.99999", stage::kAbstract, true, "x"));

  absl::StatusOr<AssembledDigest> d = AssembleDigest(inputs_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->digest.markdown,
            ReadAll(kRepo + "/tests/fixtures/reference/digest-2025-04-22.md"));
  // The papers are the reference file's bytes; "fates" comes last.
  ASSERT_GT(scored_json_.size(), 2u);
  const std::string papers_part =
      scored_json_.substr(0, scored_json_.size() - 2) + ",\n    \"fates\": {";
  EXPECT_EQ(d->digest.json.substr(0, papers_part.size()), papers_part);
  absl::StatusOr<std::vector<ScoredPaper>> back =
      ParseScoredJson(d->digest.json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, reference_);

  ASSERT_EQ(d->fates.size(), reference_.size() + 9);
  std::map<std::string, FinalFate> by_id;
  for (const FinalFate& f : d->fates) by_id[f.arxiv_id] = f;
  for (size_t i = 0; i < reference_.size(); ++i) {
    const FinalFate& f = by_id[reference_[i].paper.arxiv_id];
    EXPECT_TRUE(f.in_digest);
    EXPECT_EQ(f.rank, static_cast<int>(i) + 1) << f.arxiv_id;
    EXPECT_FALSE(f.dropped);
    EXPECT_TRUE(f.recorded);
  }
  const FinalFate& top = by_id["2504.14960"];
  EXPECT_EQ(top.rank, 1);
  EXPECT_EQ(top.stage, stage::kAbstract);
  EXPECT_EQ(top.reason, "relevance 10, novelty 8");
  EXPECT_EQ(top.best_h_index, 31);

  EXPECT_EQ(by_id["2504.00001"],
            (FinalFate{"2504.00001", stage::kHIndex, false, 0, true,
                       "h-index 7 < 20", 7, true}));
  EXPECT_EQ(by_id["2504.00002"].stage, stage::kTitle);
  EXPECT_EQ(by_id["2504.00003"].stage, stage::kPrefilter);
  EXPECT_EQ(by_id["2504.00003"].reason, "lexical pre-filter: 0.01 < 0.05");
  EXPECT_EQ(by_id["2504.00004"].stage, stage::kAbstract);
  EXPECT_EQ(by_id["2504.00005"],
            (FinalFate{"2504.00005", final_stage::kCutoff, false, 0, true,
                       "relevance 7, novelty 6: below the publisher's cut-off "
                       "(relevance 7 < 8, novelty 6 < 7)",
                       std::nullopt, true}));
  EXPECT_EQ(
      by_id["2504.00006"],
      (FinalFate{"2504.00006", stage::kUnscored, false, 0, true,
                 "dead-lettered after 5 deliveries", std::nullopt, false}));
  EXPECT_EQ(by_id["2504.00007"].stage, final_stage::kNoRecord);
  EXPECT_FALSE(by_id["2504.00007"].recorded);
  // Bad records are left out (and reported), the paper is still explained.
  EXPECT_FALSE(by_id["2504.00008"].recorded);
  EXPECT_EQ(by_id["2504.00008"].stage, final_stage::kCutoff);
  EXPECT_FALSE(by_id["2504.00009"].recorded);
  std::vector<std::string> skipped;
  for (const SkippedRecord& s : d->skipped) skipped.push_back(s.arxiv_id);
  EXPECT_EQ(skipped, (std::vector<std::string>{"2504.00008", "2504.00009"}));

  // What the api reads back from the stored JSON is what was computed.
  for (const FinalFate& f : d->fates) {
    absl::StatusOr<std::optional<FinalFate>> found =
        FindFateInDigestJson(d->digest.json, f.arxiv_id);
    ASSERT_TRUE(found.ok()) << found.status();
    ASSERT_TRUE(found->has_value()) << f.arxiv_id;
    EXPECT_EQ(**found, f);
  }
  absl::StatusOr<std::optional<FinalFate>> absent =
      FindFateInDigestJson(d->digest.json, "2504.77777");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
}

TEST_F(PaperFatesTest, RunsWithoutFateRecordsKeepTheOldJson) {
  inputs_.records.fates.clear();
  absl::StatusOr<AssembledDigest> d = AssembleDigest(inputs_);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->digest.json, scored_json_);
  EXPECT_TRUE(d->fates.empty());
  absl::StatusOr<std::optional<FinalFate>> found =
      FindFateInDigestJson(d->digest.json, "2504.14960");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

TEST(CombineFateTest, UnpublishedRunsSayNothingAboutTheDigest) {
  const contract::PaperFate kept =
      Recorded("2504.00001", stage::kAbstract, false, "relevance 9, novelty 8");
  FinalFate f =
      CombineFate("2504.00001", &kept, nullptr, std::nullopt, nullptr);
  EXPECT_EQ(f.stage, stage::kAbstract);
  EXPECT_FALSE(f.in_digest);
  EXPECT_FALSE(f.dropped);
  EXPECT_EQ(f.reason, "relevance 9, novelty 8; the run is not published yet");

  f = CombineFate("2504.00002", nullptr, nullptr, std::nullopt, nullptr);
  EXPECT_EQ(f.stage, final_stage::kNoRecord);
  EXPECT_FALSE(f.recorded);
  EXPECT_FALSE(f.dropped);
}

TEST(CombineFateTest, ThePublisherDecidesOverTheScorer) {
  // Dropped by the scorer's cut-off but published (other cut-offs then).
  const contract::PaperFate dropped =
      Recorded("2504.00001", stage::kAbstract, true,
               "relevance 7, novelty 9: scores below cutoff (relevance < 8)");
  Score s;
  s.arxiv_id = "2504.00001";
  s.relevance = 7;
  s.novelty = 9;
  FilteringConfig filtering;
  FinalFate f = CombineFate("2504.00001", &dropped, &s, 3, &filtering);
  EXPECT_TRUE(f.in_digest);
  EXPECT_EQ(f.rank, 3);
  EXPECT_FALSE(f.dropped);
  EXPECT_EQ(f.stage, stage::kAbstract);
  EXPECT_EQ(f.reason, "relevance 7, novelty 9");
}

// A stage drop whose fate record is missing: the score itself says which
// stage, not "below the publisher's cut-off" (cut-offs 0 would keep 0/0).
TEST(CombineFateTest, FilteredScoresWithoutARecordNameTheirStage) {
  Score h;
  h.arxiv_id = "2504.00001";
  h.filtered = true;
  h.comment = "H-index filtered (max is 12<20)";
  FilteringConfig zero;
  zero.relevance_cutoff = 0;
  zero.novelty_cutoff = 0;
  FinalFate f = CombineFate("2504.00001", nullptr, &h, 0, &zero);
  EXPECT_TRUE(f.dropped);
  EXPECT_EQ(f.stage, stage::kHIndex);
  EXPECT_EQ(f.reason, "H-index filtered (max is 12<20)");

  Score t = h;
  t.comment = "Title filtered";
  f = CombineFate("2504.00001", nullptr, &t, 0, &zero);
  EXPECT_EQ(f.stage, stage::kTitle);
  EXPECT_EQ(f.reason, "Title filtered");

  // Not published yet: still a drop.
  f = CombineFate("2504.00001", nullptr, &t, std::nullopt, nullptr);
  EXPECT_TRUE(f.dropped);
  EXPECT_EQ(f.stage, stage::kTitle);
  EXPECT_EQ(f.reason, "Title filtered; the run is not published yet");
}

TEST(DecodeScorerFatesTest, SkipsAndCountsBadRecords) {
  ScorerFates fates = DecodeScorerFates(
      {{"2504.00001", contract::EncodePaperFate(Recorded(
                          "2504.00001", stage::kTitle, true, "irrelevant"))},
       {"2504.00002", "[]"},
       {"2504.00003", "{\"arxiv_id\":\"2504.00003\"}"}});
  EXPECT_EQ(fates.by_id.size(), 1u);
  EXPECT_EQ(fates.by_id.at("2504.00001").stage, stage::kTitle);
  ASSERT_EQ(fates.invalid.size(), 2u);
  EXPECT_EQ(fates.invalid[0].first, "2504.00002");
  EXPECT_NE(fates.invalid[1].second.find("stage"), std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
