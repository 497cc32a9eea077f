// A deeply nested JSON value (a "depth bomb", 50 000 levels: a recursive
// parser overflows its stack on it) in an entry of every stream, while a
// whole day runs (issue 12): arxiv:papers (scorers), arxiv:scores and
// arxiv:runs (publisher), arxiv:triggers (a trigger-serving fetcher). No
// process dies; the poison paper is dead-lettered; the digest is the
// fault-free one and no paper is paid for twice.
#include "tests/chaos/chaos_harness.h"

namespace arxiv_digest::testing::chaos {
namespace {

std::string DepthBomb() {
  return std::string(50000, '[') + std::string(50000, ']');
}

class DepthBombTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (env_) env_->Report(HasFailure());
  }
  std::unique_ptr<ChaosEnv> env_;
};

TEST_F(DepthBombTest, BombInEveryStreamKillsNothingAndChangesNothing) {
  const PublishedDigest clean = FaultFreeDigest();
  ASSERT_FALSE(HasFailure()) << "the fault-free run failed";

  env_ = std::make_unique<ChaosEnv>(
      ChaosOptions{.max_in_flight = 2, .claim_idle_ms = 1500});
  ASSERT_NO_FATAL_FAILURE(env_->Start());
  std::vector<Subprocess*> services = {
      env_->StartPublisher(), env_->StartScorer("scorer-a"),
      env_->StartScorer("scorer-b"),
      env_->StartService("fetcher", "fetcher-triggers", {"--triggers-only"})};
  for (Subprocess* s : services) ASSERT_NE(s, nullptr);
  // 2 x 2 scorer slots, the publisher, the trigger listener.
  env_->WaitForStreamReaders(6);

  const std::string bomb = DepthBomb();
  RedisClient redis = env_->Client();
  const std::string poison_run = "2025-04-08-dead0001";
  ASSERT_TRUE(redis
                  .Command({"XADD", "arxiv:papers", "*", "run_id", poison_run,
                            "arxiv_id", "2504.99999", "paper", bomb})
                  .ok());
  ASSERT_TRUE(redis
                  .Command({"XADD", "arxiv:scores", "*", "type", "score",
                            "run_id", poison_run, "arxiv_id", "2504.99999",
                            "model", "gpt-4o", "score", bomb})
                  .ok());
  ASSERT_TRUE(
      redis.Command({"XADD", "arxiv:runs", "*", "run_id", bomb, "status", bomb})
          .ok());
  ASSERT_TRUE(redis
                  .Command({"XADD", "arxiv:triggers", "*", "run_id", bomb,
                            "categories", bomb, "date", bomb})
                  .ok());

  const std::string run_id = env_->FetchOnce();
  ASSERT_FALSE(run_id.empty());
  const PublishedDigest got = env_->WaitForPublished(run_id, seconds(120));
  ASSERT_FALSE(got.json.empty());
  EXPECT_EQ(PapersJson(got.json), PapersJson(clean.json));
  EXPECT_EQ(MarkdownBody(got.md), MarkdownBody(clean.md));
  EXPECT_EQ(got.manifest.at("papers_to_score"),
            clean.manifest.at("papers_to_score"));

  // Only the poison paper is dead-lettered; every service is still up.
  EXPECT_TRUE(env_->WaitUntil(
      [&] { return env_->XLen("arxiv:dead-letter") == 1; }, seconds(20)))
      << "dead letters: " << env_->XLen("arxiv:dead-letter");
  for (Subprocess* s : services) {
    EXPECT_TRUE(s->Running()) << s->Describe(4000);
  }
  EXPECT_TRUE(ScoredMoreThanOnce(env_->stub()).empty())
      << "a paper reached the LLM twice without any process dying";
}

}  // namespace
}  // namespace arxiv_digest::testing::chaos
