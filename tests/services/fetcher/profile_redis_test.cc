// The fetcher's per-profile Redis adapters against a real redis-server:
// each reader's own seen keys and the record of a daily run's child runs.
#include <gtest/gtest.h>

#include "lib/redis/keys.h"
#include "lib/redis/redis_client.h"
#include "services/fetcher/adapters/redis_profile_run_index.h"
#include "services/fetcher/adapters/redis_seen_store.h"
#include "tests/support/redis_server.h"

namespace arxiv_digest {
namespace {

class ProfileRedisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::RedisServer>> s =
        testing::RedisServer::Start({});
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = *std::move(s);
    absl::StatusOr<std::unique_ptr<RedisClient>> c =
        RedisClient::Connect(server_->url());
    ASSERT_TRUE(c.ok()) << c.status();
    redis_ = *std::move(c);
  }
  std::unique_ptr<testing::RedisServer> server_;
  std::unique_ptr<RedisClient> redis_;
};

TEST_F(ProfileRedisTest, EachProfileRemembersItsOwnDeliveries) {
  RedisSeenStore reader(*redis_, std::chrono::hours(1));
  RedisSeenStore same_as_reader(*redis_, std::chrono::hours(1), "default");
  RedisSeenStore audio(*redis_, std::chrono::hours(1), "audio");
  Paper p;
  p.arxiv_id = "2504.01234";
  p.version = 2;
  ASSERT_TRUE(reader.MarkDelivered({p}).ok());
  // The default reader's keys are unchanged (arxiv:seen:<id>).
  absl::StatusOr<RedisReply> v =
      redis_->Command({"GET", keys::Seen("2504.01234")});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->str, "2");
  EXPECT_EQ(same_as_reader.DeliveredVersions({p.arxiv_id})->size(), 1u);
  // Another reader has not seen it...
  EXPECT_TRUE(audio.DeliveredVersions({p.arxiv_id})->empty());
  ASSERT_TRUE(audio.MarkDelivered({p}).ok());
  EXPECT_EQ(audio.DeliveredVersions({p.arxiv_id})->at(p.arxiv_id), 2);
  v = redis_->Command({"TTL", keys::Seen("audio:2504.01234")});
  ASSERT_TRUE(v.ok());
  EXPECT_GT(v->integer, 0);
}

TEST_F(ProfileRedisTest, ChildRunIsRecordedWhereTheApiFanOutLooks) {
  RedisProfileRunIndex index(*redis_, std::chrono::hours(24));
  ASSERT_TRUE(
      index.RecordProfileRun("2025-04-08-0a0b0c0d", "audio", "2025-04-08-p1")
          .ok());
  const std::string key = keys::RunProfileRuns("2025-04-08-0a0b0c0d");
  absl::StatusOr<RedisReply> v = redis_->Command({"HGET", key, "audio"});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->str, "2025-04-08-p1");
  // The api's claim (HSETNX) then finds the slot taken.
  v = redis_->Command({"HSETNX", key, "audio", ""});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->integer, 0);
  v = redis_->Command({"TTL", key});
  ASSERT_TRUE(v.ok());
  EXPECT_GT(v->integer, 3600);
}

}  // namespace
}  // namespace arxiv_digest
