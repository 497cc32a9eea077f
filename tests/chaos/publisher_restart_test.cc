// The publisher is SIGKILLed while scores are arriving, at the exact point
// where it has read a batch of results but stored none of them: a proxy
// between it and Redis holds its first write to the run's scores hash once
// a third of the day is scored. It is restarted (same consumer name, as a
// restarted process would have). The batch it held is pending in its name
// and must be read again, or the run never completes; the results stored
// before stay stored (idempotent per run and paper). The digest is the
// fault-free one, and no scorer failed, so the LLM saw every paper once.
#include "tests/chaos/chaos_harness.h"
#include "tests/chaos/redis_tap_proxy.h"

namespace arxiv_digest::testing::chaos {
namespace {

class PublisherRestartTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (env_) env_->Report(HasFailure());
  }
  std::unique_ptr<ChaosEnv> env_;
};

long long PublisherPending(ChaosEnv& env) {
  auto reply = env.Client().Command({"XPENDING", "arxiv:scores", "publishers"});
  if (!reply.ok() || reply->elements.empty()) return 0;
  return reply->elements[0].integer;
}

TEST_F(PublisherRestartTest, SameDigestWhenThePublisherDiesMidDigest) {
  const PublishedDigest clean = FaultFreeDigest();
  ASSERT_FALSE(HasFailure()) << "the fault-free run failed";

  env_ = std::make_unique<ChaosEnv>(
      ChaosOptions{.max_in_flight = 2, .latency = milliseconds(50)});
  ASSERT_NO_FATAL_FAILURE(env_->Start());
  RedisTapProxy proxy(env_->redis().port(), "", /*armed=*/false);
  Subprocess* publisher = env_->StartService(
      "publisher", "publisher", {"--output-path", env_->out()}, proxy.url());
  ASSERT_NE(publisher, nullptr);
  ASSERT_NE(env_->StartScorer("scorer-a"), nullptr);
  ASSERT_NE(env_->StartScorer("scorer-b"), nullptr);
  env_->WaitForStreamReaders(5);
  const std::string run_id = env_->FetchOnce();
  ASSERT_FALSE(run_id.empty());
  const long long papers =
      std::stoll(env_->Manifest(run_id)["papers_to_score"]);

  ASSERT_TRUE(
      env_->WaitUntil([&] { return env_->XLen("arxiv:scores") >= papers / 3; },
                      seconds(60), milliseconds(5)));
  // "HSET <the run's results hash>" as RESP: the first store of a batch.
  // (The key alone would also match the HLEN of a publish attempt.)
  const std::string key = absl::StrCat("arxiv:run:", run_id, ":scores");
  proxy.Arm(absl::StrCat("$4\r\nHSET\r\n$", key.size(), "\r\n", key, "\r\n"));
  ASSERT_TRUE(env_->WaitUntil([&] { return proxy.triggered(); }, seconds(30)))
      << "the publisher never stored another result";
  publisher->Kill();
  proxy.Stop();
  const long long held = PublisherPending(*env_);
  EXPECT_GT(held, 0) << "the publisher was not killed holding entries";
  EXPECT_NE(env_->Manifest(run_id)["status"], "published");

  ASSERT_NE(env_->StartPublisher(), nullptr);
  const PublishedDigest got = env_->WaitForPublished(run_id, seconds(150));
  ExpectFaultFreeDigest(*env_, got, clean);
  EXPECT_TRUE(ScoredMoreThanOnce(env_->stub()).empty());
  std::cerr << "publisher killed holding " << held << " unacked entries\n";
}

}  // namespace
}  // namespace arxiv_digest::testing::chaos
