// The LLM misbehaves in bursts: runs of 429 (Retry-After), 500, non-JSON
// bodies, dropped connections and replies missing every paper, then one
// burst longer than the client's attempts so a whole batch fails and is
// taken over again from the pending list. One scorer with one slot, so the
// script is met in a fixed order and the test is deterministic. The digest
// is the fault-free one and, since no process dies, the stub scores every
// paper exactly once.
#include "tests/chaos/chaos_harness.h"

namespace arxiv_digest::testing::chaos {
namespace {

class LlmFailureBurstTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (env_) env_->Report(HasFailure());
  }
  std::unique_ptr<ChaosEnv> env_;
};

TEST_F(LlmFailureBurstTest, SameDigestThroughBurstsOf429And500AndGarbage) {
  const PublishedDigest clean = FaultFreeDigest();
  ASSERT_FALSE(HasFailure()) << "the fault-free run failed";

  env_ = std::make_unique<ChaosEnv>(
      ChaosOptions{.max_in_flight = 1, .claim_idle_ms = 1500});
  ASSERT_NO_FATAL_FAILURE(env_->Start());
  OpenAiStub& stub = env_->stub();
  const StubFailure ok{.kind = StubFailureKind::kNone};
  auto burst = [&](StubFailure f, int times) {
    stub.PushFailure(f, times);
    stub.PushFailure(ok, 2);
  };
  // Each burst is shorter than the client's 4 attempts: retried in place.
  burst({.kind = StubFailureKind::kRateLimited, .retry_after_seconds = 1}, 3);
  burst({.kind = StubFailureKind::kServerError}, 2);
  burst({.kind = StubFailureKind::kGarbageBody}, 2);
  burst({.kind = StubFailureKind::kDropConnection}, 2);
  // Replies naming none of the batch: the papers are asked again
  // (abstract_retry = 3), not recorded unscored.
  burst({.kind = StubFailureKind::kOmitIds, .omit_count = 5}, 3);
  burst({.kind = StubFailureKind::kFencedReply}, 3);
  // Longer than the attempts: the batch fails, stays pending, is claimed
  // again after --claim-idle-ms and then succeeds.
  burst({.kind = StubFailureKind::kRateLimited, .retry_after_seconds = 1}, 5);
  // Mixed.
  stub.PushFailure({.kind = StubFailureKind::kServerError});
  stub.PushFailure(
      {.kind = StubFailureKind::kRateLimited, .retry_after_seconds = 1});
  stub.PushFailure({.kind = StubFailureKind::kGarbageBody});

  ASSERT_NE(env_->StartPublisher(), nullptr);
  ASSERT_NE(env_->StartScorer("scorer-a"), nullptr);
  env_->WaitForStreamReaders(2);
  const std::string run_id = env_->FetchOnce();
  ASSERT_FALSE(run_id.empty());

  const PublishedDigest got = env_->WaitForPublished(run_id, seconds(150));
  ExpectFaultFreeDigest(*env_, got, clean);
  EXPECT_EQ(stub.pending_failures(), 0u) << "the script was not played out";
  EXPECT_TRUE(ScoredMoreThanOnce(stub).empty())
      << "a paper reached the LLM twice without any process dying";
}

}  // namespace
}  // namespace arxiv_digest::testing::chaos
