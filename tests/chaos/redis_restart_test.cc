// redis-server crashes (SIGKILL) in the middle of a run and comes back on
// the same port from its append-only file (appendfsync always, so nothing
// acknowledged is lost). The scorers and the publisher reconnect by
// themselves; batches whose writes failed stay pending and are taken over
// after --claim-idle-ms. The digest is the fault-free one, each paper once.
#include "tests/chaos/chaos_harness.h"

namespace arxiv_digest::testing::chaos {
namespace {

class RedisRestartTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (env_) env_->Report(HasFailure());
  }
  std::unique_ptr<ChaosEnv> env_;
};

TEST_F(RedisRestartTest, SameDigestAfterRedisCrashAndAofRestart) {
  const PublishedDigest clean = FaultFreeDigest();
  ASSERT_FALSE(HasFailure()) << "the fault-free run failed";

  env_ = std::make_unique<ChaosEnv>(ChaosOptions{.max_in_flight = 2,
                                                 .latency = milliseconds(100),
                                                 .appendonly = true,
                                                 .claim_idle_ms = 1500});
  ASSERT_NO_FATAL_FAILURE(env_->Start());
  ASSERT_NE(env_->StartPublisher(), nullptr);
  ASSERT_NE(env_->StartScorer("scorer-a"), nullptr);
  ASSERT_NE(env_->StartScorer("scorer-b"), nullptr);
  env_->WaitForStreamReaders(5);
  const std::string run_id = env_->FetchOnce();
  ASSERT_FALSE(run_id.empty());
  const long long papers =
      std::stoll(env_->Manifest(run_id)["papers_to_score"]);

  // Crash once a third of the day is scored, while batches are in flight.
  ASSERT_TRUE(
      env_->WaitUntil([&] { return env_->XLen("arxiv:scores") >= papers / 3; },
                      seconds(60), milliseconds(5)));
  const size_t pending_before = env_->PendingEntries("scorer-").size();
  env_->redis().Kill();
  ASSERT_TRUE(env_->redis().Restart().ok()) << env_->redis().Log();
  // Nothing acknowledged was lost: the manifest survived the crash.
  EXPECT_EQ(env_->Manifest(run_id)["status"], "fetched");

  const PublishedDigest got = env_->WaitForPublished(run_id, seconds(120));
  ExpectFaultFreeDigest(*env_, got, clean);

  // Re-scoring is bounded by what was in flight at the crash: at most the
  // batches of every slot (2 replicas x 2 slots x 5 papers), each twice.
  const std::set<std::string> twice = ScoredMoreThanOnce(env_->stub());
  EXPECT_LE(twice.size(), 2u * 2u * 5u);
  for (const auto& [id, n] : env_->stub().score_counts()) EXPECT_LE(n, 2) << id;
  std::cerr << "redis restart: " << pending_before
            << " entries pending at the crash, " << twice.size()
            << " papers re-scored\n";
}

}  // namespace
}  // namespace arxiv_digest::testing::chaos
