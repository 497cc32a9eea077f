// SIGKILL scorer replicas in the middle of their batches (issue 4's kill -9
// test and issue 7's "scorer killed mid-batch"): several scorer processes
// share the consumer group; two are killed while they hold entries with LLM
// calls in flight, a replacement joins. Their entries stay pending, the
// survivors take them over with XAUTOCLAIM after --claim-idle-ms, and every
// paper of the whole real day ends up in the digest exactly once, with the
// fault-free digest's order and scores. Only papers the killed replicas
// held may reach the LLM twice (their replies were lost with the process).
#include <signal.h>

#include "tests/chaos/chaos_harness.h"

namespace arxiv_digest::testing::chaos {
namespace {

class ScorerKillTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (env_) env_->Report(HasFailure());
  }
  std::unique_ptr<ChaosEnv> env_;
};

// Waits until `name` has LLM replies behind it and entries pending (a batch
// in progress), SIGKILLs it, and returns the entries it held.
std::set<std::string> KillMidBatch(ChaosEnv& env, Subprocess* scorer,
                                   const std::string& name,
                                   int64_t min_replies) {
  std::set<std::string> held;
  // Frozen (SIGSTOP) before the pending entries are read, so a batch that
  // is acked between the look and the kill cannot make the kill land
  // between batches; a frozen replica with nothing pending is thawed and
  // looked at again.
  const bool busy = env.WaitUntil(
      [&] {
        auto by_client = env.stub().scored_replies_by_client();
        if (by_client[name] < min_replies) return false;
        scorer->Signal(SIGSTOP);
        held = env.PendingEntries(name + "/");
        if (held.empty()) scorer->Signal(SIGCONT);
        return !held.empty();
      },
      seconds(60), milliseconds(5));
  EXPECT_TRUE(busy) << name << " never had a batch in progress";
  scorer->Kill();
  // What the dead consumer still owns: entries read, never acked.
  held = env.PendingEntries(name + "/");
  EXPECT_FALSE(held.empty()) << name << " was not killed mid-batch";
  return held;
}

TEST_F(ScorerKillTest, EveryPaperScoredOnceInTheDigestAfterKill9) {
  const PublishedDigest clean = FaultFreeDigest();
  ASSERT_FALSE(HasFailure()) << "the fault-free run failed";

  // 300 ms per call keeps batches in flight long enough to kill into.
  env_ = std::make_unique<ChaosEnv>(ChaosOptions{
      .max_in_flight = 2, .latency = milliseconds(300), .claim_idle_ms = 3000});
  ASSERT_NO_FATAL_FAILURE(env_->Start());
  ASSERT_NE(env_->StartPublisher(), nullptr);
  Subprocess* a = env_->StartScorer("scorer-a");
  Subprocess* b = env_->StartScorer("scorer-b");
  Subprocess* c = env_->StartScorer("scorer-c");
  ASSERT_TRUE(a && b && c);
  env_->WaitForStreamReaders(7);

  // The fetch runs alongside: its papers are being scored as it goes.
  Subprocess* fetcher = env_->StartFetcher();
  std::set<std::string> held =
      KillMidBatch(*env_, a, "scorer-a", /*min_replies=*/3);
  // A replacement joins under a new name, as a restarted pod would.
  ASSERT_NE(env_->StartScorer("scorer-d"), nullptr);
  std::set<std::string> held_b =
      KillMidBatch(*env_, b, "scorer-b", /*min_replies=*/12);
  held.insert(held_b.begin(), held_b.end());
  const std::string run_id = env_->FinishFetch(fetcher);
  ASSERT_FALSE(run_id.empty());

  const PublishedDigest got = env_->WaitForPublished(run_id, seconds(120));
  ExpectFaultFreeDigest(*env_, got, clean);

  // Twice at the LLM only for what the dead replicas held, and at most twice.
  const std::set<std::string> held_ids = env_->ArxivIdsOf(held);
  for (const auto& [id, n] : env_->stub().score_counts()) {
    EXPECT_LE(n, 2) << id;
    if (n > 1) {
      EXPECT_TRUE(held_ids.count(id))
          << id << " scored twice but no killed replica held it";
    }
  }
  const auto by_client = env_->stub().scored_replies_by_client();
  EXPECT_GT(by_client.count("scorer-d") ? by_client.at("scorer-d") : 0, 0)
      << "the replacement replica never worked";
  std::cerr << "kill -9: " << held.size()
            << " entries held by killed replicas, "
            << ScoredMoreThanOnce(env_->stub()).size()
            << " papers re-scored, stub requests " << env_->stub().requests()
            << "\n";
}

}  // namespace
}  // namespace arxiv_digest::testing::chaos
