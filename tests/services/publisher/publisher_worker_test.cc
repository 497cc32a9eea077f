// The publisher's stream loop against a real redis-server: results are
// stored and acked, manifests acked after the publish attempt, malformed
// entries acked and ignored, a restart re-reads its own pending entries,
// and a manifest that can never be published is failed, not retried.
#include "services/publisher/adapters/publisher_worker.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "lib/contract/stream_entries.h"
#include "lib/json/json_util.h"
#include "lib/redis/keys.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_test.h"

namespace arxiv_digest {
namespace {

class PublisherWorkerTest : public testing::RedisTest {
 protected:
  void SetUp() override {
    testing::RedisTest::SetUp();
    if (HasFatalFailure()) return;
    absl::StatusOr<Config> config =
        LoadConfig(std::string(ARXIV_DIGEST_SOURCE_DIR) + "/configs");
    ASSERT_TRUE(config.ok()) << config.status();
    profiles_["default"] = *config;
    profiles_["default"].filtering.relevance_cutoff = 5;
    profiles_["default"].filtering.novelty_cutoff = 5;
    out_ = ::testing::TempDir() + "/publisher_worker_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(out_);
    metrics_ = std::make_unique<PublisherMetrics>(
        std::make_shared<prometheus::Registry>());
    publisher_ =
        std::make_unique<RunPublisher>(*redis_, profiles_, out_, *metrics_);
    options_.block = std::chrono::milliseconds(10);
  }

  std::unique_ptr<PublisherWorker> MakeWorker() {
    auto worker = std::make_unique<PublisherWorker>(
        *redis_, *publisher_, *metrics_, options_, clock_);
    EXPECT_TRUE(worker->Init().ok());
    return worker;
  }

  static RunId Id(const std::string& run) { return *RunId::Parse(run); }

  // A fetched run of `papers` papers (manifest and papers hash).
  void WriteRun(const std::string& run, int papers,
                const std::string& date = "2025-04-08") {
    ASSERT_TRUE(redis_
                    ->HSet(keys::Run(run),
                           {{"run_id", run},
                            {"date", date},
                            {"status", "fetched"},
                            {"total_papers", "10"},
                            {"scanned_papers", "10"},
                            {"papers_to_score", std::to_string(papers)}})
                    .ok());
    for (int i = 0; i < papers; ++i) {
      Paper p;
      p.arxiv_id = absl::StrCat("2504.0000", i);
      p.title = absl::StrCat("Paper ", i);
      p.position = i;
      ASSERT_TRUE(
          redis_->HSet(keys::RunPapers(run), {{p.arxiv_id, PaperToJson(p)}})
              .ok());
    }
  }
  void AddScore(const std::string& run, int i) {
    contract::ScoreEntry e{Id(run), "gpt-4o", {}};
    e.score.arxiv_id = absl::StrCat("2504.0000", i);
    e.score.relevance = 9;
    e.score.novelty = 8;
    ASSERT_TRUE(
        redis_->XAdd(keys::ScoresStream(), contract::EncodeScoreEntry(e)).ok());
  }
  void AddManifestEntry(const std::string& run) {
    ASSERT_TRUE(redis_
                    ->XAdd(keys::RunsStream(),
                           contract::EncodeRunEntry({Id(run), "fetched"}))
                    .ok());
  }
  int64_t Pending(const std::string& stream) {
    auto reply = redis_->Command({"XPENDING", stream, keys::kPublisherGroup});
    if (!reply.ok() || reply->elements.empty()) return -1;
    return reply->elements[0].integer;
  }
  std::string Field(const std::string& run, const std::string& field) {
    return redis_->HGet(keys::Run(run), field)->value_or("");
  }

  std::map<std::string, Config> profiles_;
  std::string out_;
  std::unique_ptr<PublisherMetrics> metrics_;
  std::unique_ptr<RunPublisher> publisher_;
  PublisherWorkerOptions options_;
  FakeClock clock_;
};

TEST_F(PublisherWorkerTest, StoresResultsThenPublishesAndAcksEverything) {
  WriteRun("r1", 2);
  auto worker = MakeWorker();
  AddScore("r1", 0);
  ASSERT_TRUE(worker->Step().ok());
  EXPECT_EQ(Field("r1", "status"), "fetched") << "one score still missing";
  EXPECT_EQ(Field("r1", "model"), "gpt-4o");

  AddScore("r1", 1);
  contract::UsageEntry usage{Id("r1"), "1-0#0", "gpt-4o", {1000, 100, 0}};
  ASSERT_TRUE(
      redis_->XAdd(keys::ScoresStream(), contract::EncodeUsageEntry(usage))
          .ok());
  AddManifestEntry("r1");
  absl::StatusOr<int> handled = worker->Step();
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 3);
  EXPECT_EQ(Field("r1", "status"), "published");
  EXPECT_EQ(Field("r1", "prompt_tokens"), "1000");
  EXPECT_EQ(*redis_->HLen(keys::RunScores("r1")), 2);
  EXPECT_TRUE(std::filesystem::exists(out_ + "/2025-04-08.md"));
  EXPECT_EQ(Pending(keys::ScoresStream()), 0);
  EXPECT_EQ(Pending(keys::RunsStream()), 0);
  EXPECT_EQ(metrics_->scores_received.Value(), 2);
}

TEST_F(PublisherWorkerTest, MalformedEntriesAreAckedAndIgnored) {
  auto worker = MakeWorker();
  ASSERT_TRUE(redis_
                  ->XAdd(keys::ScoresStream(), {{"type", "score"},
                                                {"run_id", "../../x"},
                                                {"arxiv_id", "2504.00001"},
                                                {"score", "{}"}})
                  .ok());
  ASSERT_TRUE(redis_
                  ->XAdd(keys::ScoresStream(), {{"type", "score"},
                                                {"run_id", "r1"},
                                                {"arxiv_id", "2504.00001"},
                                                {"score", "[[[[not json"}})
                  .ok());
  ASSERT_TRUE(
      redis_->XAdd(keys::ScoresStream(), {{"type", "what"}, {"run_id", "r1"}})
          .ok());
  ASSERT_TRUE(redis_->XAdd(keys::RunsStream(), {{"status", "fetched"}}).ok());
  absl::StatusOr<int> handled = worker->Step();
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_EQ(*handled, 4);
  EXPECT_EQ(Pending(keys::ScoresStream()), 0);
  EXPECT_EQ(Pending(keys::RunsStream()), 0);
  EXPECT_EQ(*redis_->HLen(keys::RunScores("r1")), 0);
  auto run_keys = redis_->Command({"KEYS", keys::RunPattern()});
  ASSERT_TRUE(run_keys.ok());
  EXPECT_TRUE(run_keys->elements.empty()) << run_keys->elements[0].str;
}

// A publisher killed after reading results but before storing them is
// restarted under the same consumer name: it reads them again at once,
// without waiting for claim_idle.
TEST_F(PublisherWorkerTest, RestartRereadsItsOwnPendingResults) {
  WriteRun("r1", 2);
  auto first = MakeWorker();
  AddScore("r1", 0);
  AddScore("r1", 1);
  AddManifestEntry("r1");
  // What the killed process read: both streams, nothing acked.
  for (const std::string& stream : {keys::ScoresStream(), keys::RunsStream()}) {
    auto read = redis_->XReadGroup(keys::kPublisherGroup, options_.consumer,
                                   stream, 100, std::chrono::milliseconds(0));
    ASSERT_TRUE(read.ok());
    ASSERT_FALSE(read->empty());
  }
  EXPECT_EQ(Pending(keys::ScoresStream()), 2);
  first.reset();

  auto restarted = MakeWorker();
  ASSERT_TRUE(restarted->Step().ok());
  EXPECT_EQ(Field("r1", "status"), "published");
  EXPECT_EQ(Pending(keys::ScoresStream()), 0);
  EXPECT_EQ(Pending(keys::RunsStream()), 0);
}

// Runs that completed while no publisher ran (their entries acked long
// ago) are found by the sweep of the latest manifests.
TEST_F(PublisherWorkerTest, SweepPublishesRunsCompletedWhileAway) {
  WriteRun("r1", 1);
  auto worker = MakeWorker();
  AddScore("r1", 0);
  AddManifestEntry("r1");
  for (const std::string& stream : {keys::ScoresStream(), keys::RunsStream()}) {
    auto read = redis_->XReadGroup(keys::kPublisherGroup, "gone", stream, 100,
                                   std::chrono::milliseconds(0));
    ASSERT_TRUE(read.ok());
    std::vector<std::string> ids;
    for (const StreamEntry& e : *read) ids.push_back(e.id);
    ASSERT_TRUE(redis_->XAck(stream, keys::kPublisherGroup, ids).ok());
  }
  // Its result was stored before this publisher started.
  Score score;
  score.arxiv_id = "2504.00000";
  score.relevance = 9;
  score.novelty = 9;
  ASSERT_TRUE(
      redis_
          ->HSet(keys::RunScores("r1"), {{score.arxiv_id, ScoreToJson(score)}})
          .ok());
  ASSERT_TRUE(worker->Step().ok());
  EXPECT_EQ(Field("r1", "status"), "published");
}

// A manifest whose date would lead outside the output folder fails the
// run with the reason; its entry is acked and the run is not tried again.
TEST_F(PublisherWorkerTest, UnsafeManifestIsFailedNotRetried) {
  WriteRun("r1", 1, "../../etc");
  auto worker = MakeWorker();
  AddScore("r1", 0);
  AddManifestEntry("r1");
  ASSERT_TRUE(worker->Step().ok());
  EXPECT_EQ(Field("r1", "status"), "failed");
  EXPECT_NE(Field("r1", "error").find("date: '../../etc'"), std::string::npos)
      << Field("r1", "error");
  EXPECT_EQ(Pending(keys::ScoresStream()), 0);
  EXPECT_EQ(Pending(keys::RunsStream()), 0);
  clock_.Advance(std::chrono::minutes(1));  // the next sweep is due
  ASSERT_TRUE(worker->Step().ok());
  EXPECT_EQ(metrics_->publish_errors.Value(), 0) << "never an error to retry";
  EXPECT_FALSE(std::filesystem::exists(out_));
}

}  // namespace
}  // namespace arxiv_digest
