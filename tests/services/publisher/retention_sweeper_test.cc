// Issue 12 retention in the publisher against a real redis-server: the
// periodic pass trims acknowledged stream entries (and counts them), caps
// TTLs of per-run and digest keys, and prunes expired dates from the digest
// index; finishing a run and storing a digest set the TTLs themselves.
#include "services/publisher/adapters/retention_sweeper.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <string>

#include "lib/redis/keys.h"
#include "services/publisher/adapters/redis_digest_store.h"
#include "services/publisher/adapters/redis_run_repository.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_test.h"

namespace arxiv_digest {
namespace {

using std::chrono::seconds;

class RetentionTest : public testing::RedisTest {
 protected:
  int64_t Ttl(const std::string& key) {
    auto r = redis_->Command({"TTL", key});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->integer : -3;
  }
  double Trimmed(const std::string& stream) {
    for (const auto& family : registry_.Collect()) {
      if (family.name != "arxiv_publisher_stream_trimmed_entries_total") {
        continue;
      }
      for (const auto& m : family.metric) {
        for (const auto& label : m.label) {
          if (label.name == "stream" && label.value == stream) {
            return m.counter.value;
          }
        }
      }
    }
    return -1;
  }
  FakeClock clock_;
  prometheus::Registry registry_;
};

TEST_F(RetentionTest, PassTrimsAckedEntriesAndCountsThem) {
  const std::string s = keys::ScoresStream();
  ASSERT_TRUE(redis_->EnsureGroup(s, keys::kPublisherGroup).ok());
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(*redis_->XAdd(s, {{"n", "x"}}));
  ASSERT_EQ(redis_
                ->XReadGroup(keys::kPublisherGroup, "p", s, 10,
                             std::chrono::milliseconds(0))
                ->size(),
            3u);
  ASSERT_TRUE(redis_->XAck(s, keys::kPublisherGroup, {ids[0], ids[1]}).ok());
  RetentionSweeper sweeper(*redis_, RetentionOptions{}, registry_, clock_);
  ASSERT_TRUE(sweeper.SweepOnce().ok());
  EXPECT_EQ(redis_->Command({"XLEN", s})->integer, 1);  // the pending one
  EXPECT_EQ(Trimmed(s), 2);
}

TEST_F(RetentionTest, PassCapsRunAndDigestTtlsAndPrunesTheIndex) {
  ASSERT_TRUE(redis_->HSet(keys::Run("r1"), {{"status", "fetched"}}).ok());
  ASSERT_TRUE(redis_->HSet(keys::RunScores("r1"), {{"a", "b"}}).ok());
  ASSERT_TRUE(redis_->Set(keys::RunPublishLock("r1"), "1").ok());
  ASSERT_TRUE(
      redis_->Command({"EXPIRE", keys::RunPublishLock("r1"), "5"}).ok());
  ASSERT_TRUE(
      redis_->Set(keys::Digest("default", "2025-04-08", "md"), "x").ok());
  ASSERT_TRUE(
      redis_->HSet(keys::DigestMeta("default", "2025-04-08"), {{"v1", "{}"}})
          .ok());
  ASSERT_TRUE(redis_->Command({"SADD", keys::Profiles(), "default"}).ok());
  for (const char* d : {"2025-04-07", "2025-04-08"}) {
    ASSERT_TRUE(
        redis_->Command({"ZADD", keys::DigestIndex("default"), "1", d}).ok());
  }
  ASSERT_TRUE(redis_->Set("arxiv:latest-run", "r1").ok());
  ASSERT_TRUE(redis_->Set(keys::Seen("2504.00001"), "1").ok());

  RetentionSweeper sweeper(*redis_, RetentionFromDays(3, 7, 2, seconds(10)),
                           registry_, clock_);
  ASSERT_TRUE(sweeper.SweepOnce().ok());
  EXPECT_EQ(Ttl(keys::Run("r1")), 30);
  EXPECT_EQ(Ttl(keys::RunScores("r1")), 30);
  EXPECT_LE(Ttl(keys::RunPublishLock("r1")), 5);  // never lengthened
  EXPECT_EQ(Ttl(keys::Digest("default", "2025-04-08", "md")), 70);
  EXPECT_EQ(Ttl(keys::DigestMeta("default", "2025-04-08")), 70);
  EXPECT_EQ(Ttl("arxiv:latest-run"), -1);  // not per-run data
  EXPECT_EQ(Ttl(keys::Seen("2504.00001")), 20);
  // 2025-04-07 has no meta hash (expired): it leaves the index.
  auto dates =
      redis_->Command({"ZRANGE", keys::DigestIndex("default"), "0", "-1"});
  ASSERT_EQ(dates->elements.size(), 1u);
  EXPECT_EQ(dates->elements[0].str, "2025-04-08");
}

TEST_F(RetentionTest, FinishingARunExpiresAllItsKeys) {
  RedisRunRepository runs(*redis_, seconds(1000));
  for (const std::string& key : keys::RunKeys("r2")) {
    ASSERT_TRUE(redis_->HSet(key, {{"f", "v"}}).ok());
  }
  ASSERT_TRUE(runs.MarkPublished("r2", {{"status", "published"}}).ok());
  for (const std::string& key : keys::RunKeys("r2")) {
    EXPECT_GT(Ttl(key), 990) << key;
  }
  ASSERT_TRUE(redis_->Command({"PERSIST", keys::Run("r2")}).ok());
  ASSERT_TRUE(runs.MarkFailed("r2", "boom").ok());
  EXPECT_GT(Ttl(keys::Run("r2")), 990);
}

TEST_F(RetentionTest, StoredDigestHasTheDigestTtlAndOldDatesLeaveTheIndex) {
  const std::string out = ::testing::TempDir() + "/retention-out";
  RedisDigestStore store(*redis_, out, clock_, /*digest_days=*/10);
  ASSERT_TRUE(redis_
                  ->Command({"ZADD", keys::DigestIndex("default"), "20250328",
                             "2025-03-28"})
                  .ok());
  ASSERT_TRUE(redis_
                  ->Command({"ZADD", keys::DigestIndex("default"), "20250329",
                             "2025-03-29"})
                  .ok());
  AssembledDigest a;
  a.digest.run_id = "r3";
  a.digest.date = "2025-04-08";
  a.digest.version = 1;
  a.outputs.push_back({"md", "# digest", false, "", ""});
  ASSERT_TRUE(store.Store(a).ok());
  EXPECT_GT(Ttl(keys::DigestVersion("default", "2025-04-08", 1, "md")),
            10 * 86400 - 10);
  EXPECT_EQ(Ttl(keys::Digest("default", "2025-04-08", "md")), -2)
      << "no unversioned copy is written";
  EXPECT_GT(Ttl(keys::DigestMeta("default", "2025-04-08")), 10 * 86400 - 10);
  // Kept: 2025-03-29 (10 days before) and the new date.
  auto dates =
      redis_->Command({"ZRANGE", keys::DigestIndex("default"), "0", "-1"});
  ASSERT_EQ(dates->elements.size(), 2u);
  EXPECT_EQ(dates->elements[0].str, "2025-03-29");
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

TEST(RetentionFromFlagsTest, ConfigDaysTimesDayLengthAndNegativeRefused) {
  Config config;
  config.retention.run_days = 30;
  config.retention.digest_days = 365;
  config.fetcher.seen_ttl_days = 20;
  ParsedFlags flags;
  auto defaults = RetentionFromFlags(config, flags);
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ(defaults->run_ttl, std::chrono::seconds(30 * 86400));
  EXPECT_EQ(defaults->digest_ttl, std::chrono::seconds(365 * 86400));
  EXPECT_EQ(defaults->seen_ttl, std::chrono::seconds(20 * 86400));
  EXPECT_EQ(defaults->interval, std::chrono::seconds(300));

  flags.values["--retention-day-seconds"] = "2";
  flags.values["--retention-interval-seconds"] = "1";
  auto scaled = RetentionFromFlags(config, flags);
  ASSERT_TRUE(scaled.ok());
  EXPECT_EQ(scaled->run_ttl, std::chrono::seconds(60));
  EXPECT_EQ(scaled->interval, std::chrono::seconds(1));

  flags.values["--retention-interval-seconds"] = "-5";
  auto bad = RetentionFromFlags(config, flags);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--retention-interval-seconds"),
            std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
