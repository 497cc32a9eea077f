// Publishing a run from what the scorers left in a real redis-server: only
// complete runs, once, with the files and Redis copies in place.
#include "services/publisher/adapters/run_publisher.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "lib/json/json_util.h"
#include "lib/redis/keys.h"
#include "tests/support/redis_test.h"

namespace arxiv_digest {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class RunPublisherTest : public testing::RedisTest {
 protected:
  void SetUp() override {
    testing::RedisTest::SetUp();
    if (HasFatalFailure()) return;
    absl::StatusOr<Config> config =
        LoadConfig(std::string(ARXIV_DIGEST_SOURCE_DIR) + "/configs");
    ASSERT_TRUE(config.ok()) << config.status();
    Config& def = profiles_["default"];
    def = *config;
    def.filtering.relevance_cutoff = 5;
    def.filtering.novelty_cutoff = 5;
    Config strict = def;
    strict.profile = "strict";
    strict.filtering.relevance_cutoff = 9;
    profiles_["strict"] = strict;
    out_ = ::testing::TempDir() + "/run_publisher_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(out_);
    metrics_ = std::make_unique<PublisherMetrics>(
        std::make_shared<prometheus::Registry>());
  }

  void WriteRun(const std::string& run, int papers, const std::string& status,
                const std::string& profile = "default",
                const std::string& date = "2025-04-08") {
    ASSERT_TRUE(redis_
                    ->HSet(keys::Run(run),
                           {{"run_id", run},
                            {"profile", profile},
                            {"date", date},
                            {"status", status},
                            {"total_papers", "900"},
                            {"scanned_papers", "500"},
                            {"papers_to_score", std::to_string(papers)}})
                    .ok());
    for (int i = 0; i < papers; ++i) {
      Paper p;
      p.arxiv_id = absl::StrCat("2504.0000", i);
      p.title = absl::StrCat("Paper ", i);
      p.authors = {"A", "B"};
      p.abstract = "Abs";
      p.position = i;
      ASSERT_TRUE(
          redis_->HSet(keys::RunPapers(run), {{p.arxiv_id, PaperToJson(p)}})
              .ok());
    }
  }
  void WriteScore(const std::string& run, int i, int r, int n) {
    Score s;
    s.arxiv_id = absl::StrCat("2504.0000", i);
    s.relevance = r;
    s.novelty = n;
    s.comment = "c";
    ASSERT_TRUE(
        redis_->HSet(keys::RunScores(run), {{s.arxiv_id, ScoreToJson(s)}})
            .ok());
  }

  std::map<std::string, Config> profiles_;
  std::string out_;
  std::unique_ptr<PublisherMetrics> metrics_;
};

TEST_F(RunPublisherTest, IncompleteRunIsLeftAlone) {
  WriteRun("r1", 3, "fetched");
  WriteScore("r1", 0, 9, 9);
  WriteScore("r1", 1, 9, 9);
  RunPublisher publisher(*redis_, profiles_, out_, *metrics_);
  EXPECT_FALSE(*publisher.TryPublish("r1"));
  EXPECT_FALSE(std::filesystem::exists(out_ + "/2025-04-08.md"));
  // A run still being fetched is never published, even if scores match.
  WriteRun("r2", 1, "fetching");
  WriteScore("r2", 0, 9, 9);
  EXPECT_FALSE(*publisher.TryPublish("r2"));
  EXPECT_FALSE(*publisher.TryPublish("no-such-run"));
}

TEST_F(RunPublisherTest, CompleteRunIsPublishedOnce) {
  WriteRun("r1", 4, "fetched");
  WriteScore("r1", 0, 6, 5);
  WriteScore("r1", 1, 9, 8);
  WriteScore("r1", 2, 2, 9);  // below the relevance cutoff
  Score unscored;
  unscored.arxiv_id = "2504.00003";
  unscored.scored = false;
  unscored.error = "missing";
  ASSERT_TRUE(
      redis_
          ->HSet(keys::RunScores("r1"), {{"2504.00003", ScoreToJson(unscored)}})
          .ok());
  ASSERT_TRUE(
      redis_
          ->HSet(keys::RunUsage("r1"), {{"a#0", UsageToJson({1000, 100, 0})},
                                        {"b#0", UsageToJson({2000, 200, 0})}})
          .ok());
  ASSERT_TRUE(redis_->HSet(keys::Run("r1"), {{"model", "gpt-4o"}}).ok());

  RunPublisher publisher(*redis_, profiles_, out_, *metrics_);
  ASSERT_TRUE(*publisher.TryPublish("r1"));
  EXPECT_FALSE(*publisher.TryPublish("r1")) << "second call must not republish";

  auto manifest = *redis_->HGetAll(keys::Run("r1"));
  EXPECT_EQ(manifest["status"], "published");
  EXPECT_EQ(manifest["relevant_papers"], "2");
  EXPECT_EQ(manifest["unscored_papers"], "1");
  EXPECT_EQ(manifest["prompt_tokens"], "3000");
  EXPECT_EQ(manifest["md_path"], out_ + "/2025-04-08.md");

  std::string md = ReadFile(out_ + "/2025-04-08.md");
  EXPECT_EQ(md.rfind("# Personalized Daily ArXiv Papers 2025-04-08\n", 0), 0u);
  EXPECT_NE(md.find("| **Token**    | 3000     | 300          | 3300    |"),
            std::string::npos)
      << md.substr(0, 500);
  EXPECT_NE(md.find("Total arXiv papers: 900"), std::string::npos);
  EXPECT_NE(md.find("Total scanned papers: 500"), std::string::npos);
  EXPECT_NE(md.find("Total relevant papers: 2"), std::string::npos);
  // Ranked by relevance+novelty: paper 1 (17) before paper 0 (11).
  size_t first = md.find("## 1. [Paper 1]");
  size_t second = md.find("## 2. [Paper 0]");
  EXPECT_NE(first, std::string::npos);
  EXPECT_NE(second, std::string::npos);
  EXPECT_EQ(md.find("[Paper 2]"), std::string::npos);
  EXPECT_NE(md.find("# Paper Selection Prompt"), std::string::npos);
  EXPECT_EQ(StoredDigest("default", "2025-04-08", 1, "md"), md);
  // One copy per version: no unversioned "latest" copy any more.
  EXPECT_FALSE(*redis_->Get(keys::Digest("default", "2025-04-08", "md")));
  EXPECT_TRUE(std::filesystem::exists(out_ + "/2025-04-08.json"));
  EXPECT_TRUE(std::filesystem::exists(out_ + "/2025-04-08.html"));
  EXPECT_FALSE(std::filesystem::exists(out_ + "/2025-04-08.md.tmp"));
}

// A feed without a pubDate gives the run the date "unknown-date". Its
// digest is published and indexed (score 0) instead of failing at ZADD,
// which a date with its dashes stripped ("unknowndate") made fail forever.
TEST_F(RunPublisherTest, UnknownDateRunIsPublishedAndIndexed) {
  WriteRun("r1", 1, "fetched", "default", "unknown-date");
  WriteScore("r1", 0, 9, 9);
  RunPublisher publisher(*redis_, profiles_, out_, *metrics_);
  absl::StatusOr<bool> published = publisher.TryPublish("r1");
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_TRUE(*published);
  EXPECT_TRUE(std::filesystem::exists(out_ + "/unknown-date.md"));
  absl::StatusOr<RedisReply> score =
      redis_->Command({"ZSCORE", keys::DigestIndex("default"), "unknown-date"});
  ASSERT_TRUE(score.ok()) << score.status();
  EXPECT_EQ(score->str, "0");
}

TEST_F(RunPublisherTest, DisabledOutputsAreNotWritten) {
  profiles_["default"].output.dump_json = false;
  WriteRun("r1", 1, "fetched");
  WriteScore("r1", 0, 9, 9);
  RunPublisher publisher(*redis_, profiles_, out_, *metrics_);
  ASSERT_TRUE(*publisher.TryPublish("r1"));
  EXPECT_TRUE(std::filesystem::exists(out_ + "/2025-04-08.md"));
  EXPECT_FALSE(std::filesystem::exists(out_ + "/2025-04-08.json"));
}

TEST_F(RunPublisherTest, UnwritableOutputIsAnErrorAndTheRunStaysOpen) {
  std::ofstream(out_ + ".file") << "x";
  WriteRun("r1", 1, "fetched");
  WriteScore("r1", 0, 9, 9);
  // The output "directory" is a regular file: nothing can be written in it.
  RunPublisher publisher(*redis_, profiles_, out_ + ".file/sub", *metrics_);
  absl::StatusOr<bool> r = publisher.TryPublish("r1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(redis_->HGet(keys::Run("r1"), "status")->value(), "fetched");
  // The lock is released, so a later attempt (with a good path) succeeds.
  RunPublisher good(*redis_, profiles_, out_, *metrics_);
  EXPECT_TRUE(*good.TryPublish("r1"));
}

class RecordingSink : public DigestSink {
 public:
  explicit RecordingSink(absl::Status result) : result_(result) {}
  std::string name() const override { return "recording"; }
  absl::Status Deliver(const PublishedDigest& d) override {
    delivered.push_back(d);
    return result_;
  }
  std::vector<PublishedDigest> delivered;

 private:
  absl::Status result_;
};

// Publishing the same profile and date again (a rescore) makes version 2;
// version 1 stays readable, the "latest" keys move on.
TEST_F(RunPublisherTest, RepublishingMakesANewVersionAndKeepsTheOld) {
  RecordingSink failing(absl::UnavailableError("slack down"));
  RecordingSink ok(absl::OkStatus());
  RunPublisher publisher(*redis_, profiles_, out_, *metrics_,
                         [&](const std::string& profile) {
                           EXPECT_EQ(profile, "default");
                           return std::vector<DigestSink*>{&failing, &ok};
                         });
  WriteRun("r1", 2, "fetched");
  WriteScore("r1", 0, 9, 9);
  WriteScore("r1", 1, 9, 9);
  ASSERT_TRUE(*publisher.TryPublish("r1"));
  WriteRun("r2", 2, "fetched");
  WriteScore("r2", 0, 9, 9);
  WriteScore("r2", 1, 1, 1);  // the rescore drops paper 1
  ASSERT_TRUE(redis_
                  ->HSet(keys::Run("r2"), {{"topics_override",
                                            "## Relevant Topics\n\nOnly MoE"}})
                  .ok());
  ASSERT_TRUE(*publisher.TryPublish("r2"));

  EXPECT_EQ(redis_->HGet(keys::Run("r1"), "digest_version")->value(), "1");
  EXPECT_EQ(redis_->HGet(keys::Run("r2"), "digest_version")->value(), "2");
  std::string v1 = StoredDigest("default", "2025-04-08", 1, "md").value();
  std::string v2 = StoredDigest("default", "2025-04-08", 2, "md").value();
  EXPECT_NE(v1.find("Total relevant papers: 2"), std::string::npos);
  EXPECT_NE(v2.find("Total relevant papers: 1"), std::string::npos);
  EXPECT_NE(v2.find("Only MoE"), std::string::npos)
      << "override shown in the prompt";
  EXPECT_EQ(ReadFile(out_ + "/2025-04-08.md"), v1);
  EXPECT_EQ(ReadFile(out_ + "/2025-04-08.v2.md"), v2);
  EXPECT_EQ(*redis_->HLen(keys::DigestMeta("default", "2025-04-08")), 2);
  auto index =
      redis_->Command({"ZRANGE", keys::DigestIndex("default"), "0", "-1"});
  ASSERT_EQ(index->elements.size(), 1u);
  EXPECT_EQ(index->elements[0].str, "2025-04-08");
  // Both sinks saw both versions; one failing never blocks the other.
  ASSERT_EQ(ok.delivered.size(), 2u);
  EXPECT_EQ(ok.delivered[1].version, 2);
  EXPECT_EQ(failing.delivered.size(), 2u);
}

TEST_F(RunPublisherTest, ProfilesUseTheirOwnCutoffsAndFolder) {
  WriteRun("r1", 2, "fetched", "strict");
  WriteScore("r1", 0, 9, 9);
  WriteScore("r1", 1, 8, 9);  // below strict's relevance cutoff 9
  RunPublisher publisher(*redis_, profiles_, out_, *metrics_);
  ASSERT_TRUE(*publisher.TryPublish("r1"));
  std::string md = ReadFile(out_ + "/strict/2025-04-08.md");
  EXPECT_NE(md.find("Total relevant papers: 1"), std::string::npos);
  EXPECT_TRUE(StoredDigest("strict", "2025-04-08", 1, "json").has_value());
  EXPECT_FALSE(StoredDigest("default", "2025-04-08", 1, "json").has_value());

  WriteRun("r9", 1, "fetched", "nobody");
  WriteScore("r9", 0, 9, 9);
  EXPECT_FALSE(*publisher.TryPublish("r9"));
  EXPECT_EQ(redis_->HGet(keys::Run("r9"), "status")->value(), "failed");
  EXPECT_NE(redis_->HGet(keys::Run("r9"), "error")->value().find("nobody"),
            std::string::npos);
}

// [OUTPUT] layout = seed: the Python tool's dated paths plus the latest
// copies, which only the newest date of the profile may replace.
TEST_F(RunPublisherTest, SeedLayoutWritesThePythonToolsPaths) {
  for (auto& [name, config] : profiles_) config.output.layout = "seed";
  RunPublisher publisher(*redis_, profiles_, out_, *metrics_);
  WriteRun("r1", 1, "fetched");
  WriteScore("r1", 0, 9, 9);
  ASSERT_TRUE(*publisher.TryPublish("r1"));
  const std::string md = out_ + "/md/2025-04/2025-04-08-output.md";
  const std::string json = out_ + "/json/2025-04/2025-04-08-output.json";
  ASSERT_TRUE(std::filesystem::exists(md));
  ASSERT_TRUE(std::filesystem::exists(json));
  EXPECT_TRUE(
      std::filesystem::exists(out_ + "/html/2025-04/2025-04-08-output.html"));
  EXPECT_EQ(ReadFile(out_ + "/output.md"), ReadFile(md));
  EXPECT_EQ(ReadFile(out_ + "/output.json"), ReadFile(json));
  EXPECT_FALSE(std::filesystem::exists(out_ + "/2025-04-08.md"));
  auto manifest = *redis_->HGetAll(keys::Run("r1"));
  EXPECT_EQ(manifest["md_path"], md);
  EXPECT_EQ(manifest["json_path"], json);
  const std::string latest_0408 = ReadFile(out_ + "/output.md");
  EXPECT_NE(latest_0408.find("Papers 2025-04-08"), std::string::npos);

  // A backfilled earlier day gets its dated files, not the latest copy.
  WriteRun("r2", 1, "fetched", "default", "2025-03-31");
  WriteScore("r2", 0, 9, 9);
  ASSERT_TRUE(*publisher.TryPublish("r2"));
  EXPECT_TRUE(
      std::filesystem::exists(out_ + "/md/2025-03/2025-03-31-output.md"));
  EXPECT_EQ(ReadFile(out_ + "/output.md"), latest_0408);

  // A rescore of the newest day replaces its dated file and the latest
  // copy, as a re-run of the Python tool did; version 1 stays in Redis.
  WriteRun("r3", 2, "fetched");
  WriteScore("r3", 0, 9, 9);
  WriteScore("r3", 1, 9, 9);
  ASSERT_TRUE(*publisher.TryPublish("r3"));
  EXPECT_NE(ReadFile(md).find("Total relevant papers: 2"), std::string::npos);
  EXPECT_EQ(ReadFile(out_ + "/output.md"), ReadFile(md));
  EXPECT_NE(StoredDigest("default", "2025-04-08", 1, "md")
                .value_or("")
                .find("Total relevant papers: 1"),
            std::string::npos);

  // Another profile: the same tree in its own folder.
  WriteRun("r4", 1, "fetched", "strict");
  WriteScore("r4", 0, 9, 9);
  ASSERT_TRUE(*publisher.TryPublish("r4"));
  EXPECT_TRUE(std::filesystem::exists(
      out_ + "/strict/md/2025-04/2025-04-08-output.md"));
  EXPECT_TRUE(std::filesystem::exists(out_ + "/strict/output.md"));
  EXPECT_EQ(ReadFile(out_ + "/output.md"), ReadFile(md));
}

// A manifest whose date or profile would lead outside the output folder
// (or that fails the contract's validation in any other field) is failed
// with a clear error, not retried, and nothing is written anywhere.
TEST_F(RunPublisherTest, UnsafeManifestFailsTheRunAndWritesNothing) {
  // The output folder three levels down in an empty sandbox, so a date of
  // "../../etc" would land inside the sandbox where the test can see it.
  const std::string sandbox = out_ + "_sandbox";
  std::filesystem::remove_all(sandbox);
  std::filesystem::create_directories(sandbox);
  const std::string out = sandbox + "/a/b/out";
  auto files_under = [](const std::string& dir) {
    std::set<std::string> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      files.insert(e.path().string());
    }
    return files;
  };
  WriteRun("dots", 1, "fetched");
  WriteScore("dots", 0, 9, 9);
  ASSERT_TRUE(redis_->HSet(keys::Run("dots"), {{"date", "../../etc"}}).ok());
  WriteRun("slash", 1, "fetched", "team/../../x");
  WriteScore("slash", 0, 9, 9);
  WriteRun("count", 1, "fetched");
  WriteScore("count", 0, 9, 9);
  ASSERT_TRUE(redis_->HSet(keys::Run("count"), {{"total_papers", "-3"}}).ok());

  RunPublisher publisher(*redis_, profiles_, out, *metrics_);
  for (const std::string run : {"dots", "slash", "count"}) {
    absl::StatusOr<bool> r = publisher.TryPublish(run);
    ASSERT_TRUE(r.ok()) << run << ": " << r.status();
    EXPECT_FALSE(*r) << run;
    EXPECT_EQ(redis_->HGet(keys::Run(run), "status")->value(), "failed") << run;
  }
  EXPECT_NE(redis_->HGet(keys::Run("dots"), "error")
                ->value()
                .find("date: '../../etc'"),
            std::string::npos);
  EXPECT_NE(redis_->HGet(keys::Run("slash"), "error")
                ->value()
                .find("profile: 'team/../../x'"),
            std::string::npos);
  EXPECT_NE(
      redis_->HGet(keys::Run("count"), "error")->value().find("total_papers"),
      std::string::npos);
  EXPECT_TRUE(files_under(sandbox).empty()) << "nothing written anywhere";
  EXPECT_FALSE(*redis_->Get(keys::Digest("default", "../../etc", "md")));
  // Failed is final: trying again changes nothing.
  EXPECT_FALSE(*publisher.TryPublish("dots"));
}

}  // namespace
}  // namespace arxiv_digest
