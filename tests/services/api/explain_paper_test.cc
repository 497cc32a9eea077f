// ExplainPaper ("why is paper X missing?") against a real redis-server and
// gRPC server, on a run published by the publisher's own AssembleDigest:
// in the digest with its rank, dropped by the title stage, cut by the
// publisher's cut-off although the scorer kept it, no record at all; an
// unpublished run; a digest from before fates; errors. And `arxivctl why`
// as a subprocess.
#include <gtest/gtest.h>

#include "lib/config/config.h"
#include "lib/contract/paper_fate.h"
#include "services/api/logic/digest_view.h"
#include "services/publisher/logic/digest_assembly.h"
#include "tests/services/api/api_test_fixture.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest::api::testing {
namespace {

constexpr char kRun[] = "2025-04-09-0000abcd";
constexpr char kDate[] = "2025-04-09";

class ExplainPaperTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    SeedRun(kRun, kDate, 1, 5, "fetched");
    // 1 and 2 pass every stage; 3 the title stage drops; 4 a scorer kept
    // (from its cache) but is below the profile's cut-off (8/7); 5 has no
    // score and no record.
    SeedScore(1, 9, 8);
    SeedScore(2, 10, 9);
    SeedScore(3, 0, 0);
    SeedScore(4, 7, 6);
    SeedFate({PaperId(1), "abstract", false, "relevance 9, novelty 8", 42});
    SeedFate({PaperId(2), "abstract", false, "relevance 10, novelty 9", {}});
    SeedFate({PaperId(3), "title", true,
              "title stage: the model listed it as irrelevant", 3});
    SeedFate({PaperId(4), "cache", false, "relevance 7, novelty 6", {}});
  }

  void SeedScore(int n, int relevance, int novelty) {
    Score s;
    s.arxiv_id = PaperId(n);
    s.relevance = relevance;
    s.novelty = novelty;
    s.comment = "c";
    ASSERT_TRUE(
        redis_->HSet(keys::RunScores(kRun), {{s.arxiv_id, ScoreToJson(s)}})
            .ok());
  }
  void SeedFate(const contract::PaperFate& f) {
    ASSERT_TRUE(redis_
                    ->HSet(keys::RunFates(kRun),
                           {{f.arxiv_id, contract::EncodePaperFate(f)}})
                    .ok());
  }

  // Publishes the run as the publisher does: AssembleDigest on what Redis
  // holds (with or without the fate records), its JSON stored as v1.
  void Publish(bool with_fates = true) {
    absl::StatusOr<Config> config = LoadConfig(configs_);
    ASSERT_TRUE(config.ok()) << config.status();
    DigestInputs inputs;
    inputs.run.run_id = kRun;
    inputs.run.status = "fetched";
    inputs.run.date = kDate;
    inputs.profile = "default";
    inputs.config = &*config;
    inputs.records.papers = HGetAll(keys::RunPapers(kRun));
    inputs.records.scores = HGetAll(keys::RunScores(kRun));
    if (with_fates) inputs.records.fates = HGetAll(keys::RunFates(kRun));
    absl::StatusOr<AssembledDigest> d = AssembleDigest(inputs);
    ASSERT_TRUE(d.ok()) << d.status();
    ASSERT_EQ(d->relevant_papers, 2);
    // The web pages read the papers only, with or without fates.
    absl::StatusOr<std::vector<DigestPaperView>> shown =
        ParseDigestPapers(d->digest.json);
    ASSERT_TRUE(shown.ok()) << shown.status();
    ASSERT_EQ(shown->size(), 2u);
    EXPECT_EQ((*shown)[0].arxiv_id, PaperId(2));
    SeedDigest("default", kDate, 1, kRun, 2, "x");
    StoreDigestText("default", kDate, 1, "json", d->digest.json);
    ASSERT_TRUE(redis_
                    ->HSet(keys::Run(kRun),
                           {{"status", "published"}, {"digest_version", "1"}})
                    .ok());
  }

  grpc::Status Explain(const std::string& run_id, const std::string& arxiv_id,
                       v1::PaperFate* fate,
                       const std::string& token = kReaderToken) {
    v1::ExplainPaperRequest req;
    req.set_run_id(run_id);
    req.set_arxiv_id(arxiv_id);
    return stub_->ExplainPaper(Ctx(token).get(), req, fate);
  }
};

TEST_F(ExplainPaperTest, APublishedRunExplainsEveryPaper) {
  Publish();
  v1::PaperFate f;
  ASSERT_TRUE(Explain(kRun, PaperId(2), &f).ok());
  EXPECT_EQ(f.run_id(), kRun);
  EXPECT_EQ(f.arxiv_id(), PaperId(2));
  EXPECT_TRUE(f.in_digest());
  EXPECT_EQ(f.rank(), 1);
  EXPECT_FALSE(f.dropped());
  EXPECT_TRUE(f.published());
  EXPECT_TRUE(f.recorded());
  EXPECT_EQ(f.stage(), "abstract");

  // A versioned id names the same paper.
  ASSERT_TRUE(Explain(kRun, PaperId(1) + "v2", &f).ok());
  EXPECT_EQ(f.rank(), 2);
  EXPECT_EQ(f.best_h_index(), 42);

  ASSERT_TRUE(Explain(kRun, PaperId(3), &f).ok());
  EXPECT_FALSE(f.in_digest());
  EXPECT_TRUE(f.dropped());
  EXPECT_EQ(f.stage(), "title");
  EXPECT_EQ(f.reason(), "title stage: the model listed it as irrelevant");
  EXPECT_TRUE(f.has_best_h_index());
  EXPECT_EQ(f.best_h_index(), 3);

  // Kept by the scorer, cut by the publisher: the publisher's numbers.
  ASSERT_TRUE(Explain(kRun, PaperId(4), &f).ok());
  EXPECT_EQ(f.stage(), "cutoff");
  EXPECT_TRUE(f.dropped());
  EXPECT_EQ(f.reason(),
            "relevance 7, novelty 6: below the publisher's cut-off "
            "(relevance 7 < 8, novelty 6 < 7)");
  EXPECT_FALSE(f.has_best_h_index());

  ASSERT_TRUE(Explain(kRun, PaperId(5), &f).ok());
  EXPECT_EQ(f.stage(), "no_record");
  EXPECT_FALSE(f.recorded());
  EXPECT_FALSE(f.in_digest());
}

TEST_F(ExplainPaperTest, ADigestFromBeforeFatesStillGivesRankAndRecord) {
  Publish(/*with_fates=*/false);
  v1::PaperFate f;
  ASSERT_TRUE(Explain(kRun, PaperId(1), &f).ok());
  EXPECT_TRUE(f.in_digest());
  EXPECT_EQ(f.rank(), 2);
  EXPECT_EQ(f.reason(), "relevance 9, novelty 8");
  ASSERT_TRUE(Explain(kRun, PaperId(3), &f).ok());
  EXPECT_EQ(f.stage(), "title");
  EXPECT_TRUE(f.dropped());
  // Without the profile's numbers the api does not invent them.
  ASSERT_TRUE(Explain(kRun, PaperId(4), &f).ok());
  EXPECT_EQ(f.stage(), "cutoff");
  EXPECT_EQ(f.reason(),
            "relevance 7, novelty 6: not selected by the publisher's cut-off");
}

TEST_F(ExplainPaperTest, AnUnpublishedRunGivesTheScorersWordOnly) {
  v1::PaperFate f;
  ASSERT_TRUE(Explain(kRun, PaperId(4), &f).ok());
  EXPECT_FALSE(f.published());
  EXPECT_FALSE(f.in_digest());
  EXPECT_FALSE(f.dropped());
  EXPECT_EQ(f.stage(), "cache");
  EXPECT_EQ(f.reason(), "relevance 7, novelty 6; the run is not published yet");
}

TEST_F(ExplainPaperTest, UnknownRunsPapersAndBadIds) {
  v1::PaperFate f;
  EXPECT_EQ(Explain("2025-04-09-0000ffff", PaperId(1), &f).error_code(),
            grpc::StatusCode::NOT_FOUND);
  grpc::Status s = Explain(kRun, PaperId(99), &f);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(s.error_message().find("not part of run"), std::string::npos);
  EXPECT_EQ(Explain("../etc", PaperId(1), &f).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  s = Explain(kRun, "not-an-id", &f);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("arxiv_id"), std::string::npos);
  EXPECT_EQ(
      Explain(kRun, PaperId(1), &f, "wrong-token-0123456789").error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ExplainPaperTest, ArxivctlWhy) {
  Publish();
  auto cli = [&](std::vector<std::string> args) {
    std::vector<std::string> full = {
        "--server", absl::StrCat("127.0.0.1:", port_), "--timeout", "10"};
    full.insert(full.end(), args.begin(), args.end());
    arxiv_digest::testing::SubprocessOptions options;
    options.binary =
        std::string(ARXIV_DIGEST_BINARY_DIR) + "/tools/arxivctl/arxivctl";
    options.args = full;
    options.env["ARXIVCTL_TOKEN"] = kReaderToken;
    auto p = arxiv_digest::testing::Subprocess::Start(options);
    EXPECT_TRUE(p.ok()) << p.status();
    std::pair<int, std::string> result{-1, ""};
    if (!p.ok()) return result;
    std::optional<int> code = (*p)->WaitFor(std::chrono::seconds(30));
    EXPECT_TRUE(code.has_value()) << (*p)->Describe();
    result = {code.value_or(-1), (*p)->ReadStdout() + (*p)->ReadStderr()};
    return result;
  };
  auto [code, out] = cli({"why", kRun, PaperId(3)});
  EXPECT_EQ(code, 0) << out;
  EXPECT_EQ(out, absl::StrCat("run_id: ", kRun, "\narxiv_id: ", PaperId(3),
                              "\nstage: title\nverdict: dropped\n"
                              "reason: title stage: the model listed it as "
                              "irrelevant\nbest_h_index: 3\n"));
  std::tie(code, out) = cli({"why", kRun, PaperId(2)});
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("verdict: in the digest\nrank: 1\n"), std::string::npos)
      << out;
  std::tie(code, out) = cli({"why", kRun, PaperId(5)});
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("stage: no_record\n"), std::string::npos) << out;
  EXPECT_NE(out.find("note: the scorer left no record\n"), std::string::npos);
  std::tie(code, out) = cli({"why", kRun, PaperId(99)});
  EXPECT_EQ(code, 3) << out;
  EXPECT_NE(out.find("NOT_FOUND"), std::string::npos) << out;
  std::tie(code, out) = cli({"why", kRun});
  EXPECT_EQ(code, 2) << out;
  std::tie(code, out) = cli({"why", "--help"});
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("usage: arxivctl why RUN_ID ARXIV_ID"), std::string::npos);
  std::tie(code, out) = cli({"--help"});
  EXPECT_NE(out.find("  why RUN PAPER"), std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest::api::testing
