// The fetcher dies after appending a whole day's papers but before writing
// the manifest that says the run is complete (status=fetched). The half run
// must never publish a digest (its status stays "fetching"); nothing was
// marked delivered, so the next `fetcher --once` (after the dead one's lock
// expires) records the day again as a new run, whose digest is the
// fault-free one. The papers the half run already had scored come from the
// score cache, so no paper reaches the LLM twice.
#include "tests/chaos/chaos_harness.h"
#include "tests/chaos/redis_tap_proxy.h"

namespace arxiv_digest::testing::chaos {
namespace {

class FetcherKillTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (env_) env_->Report(HasFailure());
  }
  std::unique_ptr<ChaosEnv> env_;
};

// Run ids of every manifest in Redis ("arxiv:run:<id>", not its sub-keys).
std::set<std::string> RunIds(ChaosEnv& env) {
  std::set<std::string> ids;
  auto keys = env.Client().Keys("arxiv:run:*");
  if (!keys.ok()) return ids;
  for (absl::string_view key : *keys) {
    absl::ConsumePrefix(&key, "arxiv:run:");
    if (!absl::StrContains(key, ':')) ids.insert(std::string(key));
  }
  return ids;
}

TEST_F(FetcherKillTest, HalfRunNeverPublishesAndTheNextFetchGivesTheDigest) {
  const PublishedDigest clean = FaultFreeDigest();
  ASSERT_FALSE(HasFailure()) << "the fault-free run failed";

  // A short fetch lock, so the dead fetcher's lock expires within the test.
  env_ = std::make_unique<ChaosEnv>(ChaosOptions{.lock_ttl_seconds = 2});
  ASSERT_NO_FATAL_FAILURE(env_->Start());
  ASSERT_NE(env_->StartPublisher(), nullptr);
  ASSERT_NE(env_->StartScorer("scorer-a"), nullptr);
  ASSERT_NE(env_->StartScorer("scorer-b"), nullptr);
  env_->WaitForStreamReaders(5);

  // The manifest's completing write carries the bulk string "fetched"
  // (status=fetched); the proxy holds it, so the fetcher is stopped exactly
  // after its papers and before the manifest, and is killed there.
  RedisTapProxy proxy(env_->redis().port(), "$7\r\nfetched\r\n");
  Subprocess* fetcher = env_->StartFetcher("fetcher-doomed", proxy.url());
  ASSERT_NE(fetcher, nullptr);
  ASSERT_TRUE(env_->WaitUntil([&] { return proxy.triggered(); }, seconds(60)))
      << "the fetcher never reached its manifest write: "
      << fetcher->Describe(4000);
  fetcher->Kill();
  proxy.Stop();
  const long long appended = env_->XLen("arxiv:papers");
  ASSERT_GT(appended, 0) << "the papers were not written before the kill";

  const std::set<std::string> half_runs = RunIds(*env_);
  ASSERT_EQ(half_runs.size(), 1u);
  const std::string half = *half_runs.begin();
  EXPECT_EQ(env_->Manifest(half)["status"], "fetching");

  // Its papers get scored (and cached) meanwhile; then the lock expires.
  ASSERT_TRUE(env_->WaitForScorersIdle(seconds(60)));
  ASSERT_TRUE(env_->WaitUntil(
      [&] {
        auto keys = env_->Client().Keys("arxiv:lock:fetch:*");
        return keys.ok() && keys->empty();
      },
      seconds(30), milliseconds(100)))
      << "the dead fetcher's lock never expired";

  const std::string run_id = env_->FetchOnce("fetcher-next");
  ASSERT_FALSE(run_id.empty());
  ASSERT_NE(run_id, half);
  EXPECT_EQ(std::stoll(env_->Manifest(run_id)["papers_to_score"]), appended)
      << "the next fetch did not deliver the same day again";

  const PublishedDigest got = env_->WaitForPublished(run_id, seconds(120));
  ExpectFaultFreeDigest(*env_, got, clean);

  // The half run stays unfinished and owns no digest version.
  EXPECT_EQ(env_->Manifest(half)["status"], "fetching");
  auto meta =
      env_->Client().HGetAll(absl::StrCat("arxiv:digest-meta:default:", kDay));
  ASSERT_TRUE(meta.ok()) << meta.status();
  EXPECT_EQ(meta->size(), 1u) << "more than one digest version of the day";
  for (const auto& [version, info] : *meta) {
    EXPECT_TRUE(absl::StrContains(info, run_id)) << version << ": " << info;
    EXPECT_FALSE(absl::StrContains(info, half)) << version << ": " << info;
  }
  EXPECT_FALSE(fs::exists(absl::StrCat(env_->out(), "/", kDay, ".v2.md")));
  EXPECT_TRUE(ScoredMoreThanOnce(env_->stub()).empty())
      << "the second run did not reuse the half run's scores";
}

}  // namespace
}  // namespace arxiv_digest::testing::chaos
