// Issue 12: every key the run writer creates expires after the run TTL
// ([RETENTION] run_days), so a run that is never finished still goes.
#include <gtest/gtest.h>

#include <string>

#include "lib/redis/redis_run_writer.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_test.h"

namespace arxiv_digest::contract {
namespace {

class RunWriterRetentionTest : public testing::RedisTest {
 protected:
  int64_t Ttl(const std::string& key) {
    auto r = redis_->Command({"TTL", key});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->integer : -3;
  }
  FakeClock clock_;
};

TEST_F(RunWriterRetentionTest, ManifestAndPapersGetTheRunTtl) {
  RedisRunWriter writer(*redis_, clock_, std::chrono::seconds(1000));
  RunManifest m;
  m.run_id = "2025-04-08-0a1b2c3d";
  m.date = "2025-04-08";
  m.status = run_status::kFetching;
  ASSERT_TRUE(writer.BeginRun(m).ok());
  const std::string run = "arxiv:run:2025-04-08-0a1b2c3d";
  EXPECT_GT(Ttl(run), 990);
  EXPECT_LE(Ttl(run), 1000);

  Paper p;
  p.arxiv_id = "2504.00001";
  p.title = "T";
  p.authors = {"A"};
  p.abstract = "x";
  p.announce_type = "new";
  p.categories = {"cs.LG"};
  p.feed = "cs.LG";
  ASSERT_TRUE(writer.AppendPapers(m.run_id, {p}).ok());
  EXPECT_GT(Ttl(run + ":papers"), 990);
  ASSERT_TRUE(writer.AppendPaper(m.run_id, p).ok());
  EXPECT_GT(Ttl(run + ":papers"), 990);

  ASSERT_TRUE(redis_->Command({"PERSIST", run}).ok());
  m.status = run_status::kFetched;
  ASSERT_TRUE(writer.FinishRun(m).ok());
  EXPECT_GT(Ttl(run), 990);

  ASSERT_TRUE(redis_->Command({"PERSIST", run}).ok());
  ASSERT_TRUE(writer.FailRun(m.run_id, "boom").ok());
  EXPECT_GT(Ttl(run), 990);
  // The streams are shared, never given a TTL (the trimmer bounds them).
  EXPECT_EQ(Ttl("arxiv:papers"), -1);
}

TEST_F(RunWriterRetentionTest, DefaultIsThirtyDaysAndTriggersToo) {
  RedisRunWriter writer(*redis_, clock_);
  RunManifest m;
  m.run_id = "2025-04-08-t0a1b2c3d";
  m.date = "2025-04-08";
  ASSERT_TRUE(writer.RequestFetch(m).ok());
  const int64_t ttl = Ttl("arxiv:run:2025-04-08-t0a1b2c3d");
  EXPECT_GT(ttl, 30 * 86400 - 10);
  EXPECT_LE(ttl, 30 * 86400);
}

}  // namespace
}  // namespace arxiv_digest::contract
