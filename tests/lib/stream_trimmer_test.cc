// Stream trimming against a real redis-server: an entry goes once every
// group has acknowledged it, or by age unless it is pending somewhere; the
// dead-letter stream (no groups) is cut by age and an approximate cap.
#include "lib/redis/stream_trimmer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lib/redis/keys.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_test.h"

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;

TEST(AckFloorTest, OldestPendingOrAfterLastDeliveredMinimumOverGroups) {
  EXPECT_EQ(AckFloor({}), std::nullopt);
  EXPECT_EQ(AckFloor({{"5-2", std::nullopt}}), "5-3");
  EXPECT_EQ(AckFloor({{"5-2", "3-0"}}), "3-0");
  EXPECT_EQ(AckFloor({{"9-0", std::nullopt}, {"10-0", "4-1"}}), "4-1");
  EXPECT_EQ(AckFloor({{"0-0", std::nullopt}, {"10-0", std::nullopt}}), "0-1");
  EXPECT_EQ(AckFloor({{"garbage", std::nullopt}}), std::nullopt);
  EXPECT_EQ(AckFloor({{"7-18446744073709551615", std::nullopt}}), "8-0");
  EXPECT_TRUE(StreamIdLess("9-5", "10-0"));
}

TEST(TrimFloorTest, AgeCutsPastUnreadEntriesButNeverPastPendingOnes) {
  EXPECT_EQ(TrimFloor({}, std::nullopt), std::nullopt);
  EXPECT_EQ(TrimFloor({}, "50-0"), "50-0");
  // Group 2 never read anything: acks alone would keep everything.
  EXPECT_EQ(
      TrimFloor({{"90-0", std::nullopt}, {"0-0", std::nullopt}}, std::nullopt),
      "0-1");
  EXPECT_EQ(TrimFloor({{"90-0", std::nullopt}, {"0-0", std::nullopt}}, "50-0"),
            "50-0");
  // A pending entry holds the age cut back.
  EXPECT_EQ(TrimFloor({{"90-0", "20-3"}, {"0-0", std::nullopt}}, "50-0"),
            "20-3");
  // Acks reach further than age: acks win.
  EXPECT_EQ(TrimFloor({{"90-0", std::nullopt}}, "50-0"), "90-1");
  EXPECT_EQ(TrimFloor({{"bad", std::nullopt}}, "50-0"), std::nullopt);
  EXPECT_FALSE(StreamIdLess("10-0", "9-5"));
}

class StreamTrimmerTest : public testing::RedisTest {
 protected:
  std::vector<std::string> Add(const std::string& stream, int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      ids.push_back(*redis_->XAdd(stream, {{"n", std::to_string(i)}}));
    }
    return ids;
  }
  std::vector<std::string> Ids(const std::string& stream) {
    auto r = redis_->Command({"XRANGE", stream, "-", "+"});
    EXPECT_TRUE(r.ok()) << r.status();
    std::vector<std::string> ids;
    for (const RedisReply& e : r->elements) ids.push_back(e.elements[0].str);
    return ids;
  }
  int64_t Trim(std::vector<StreamTrimPolicy> policies) {
    StreamTrimmer trimmer(*redis_, std::move(policies), clock_);
    auto r = trimmer.TrimOnce();
    EXPECT_TRUE(r.ok()) << r.status();
    int64_t n = 0;
    for (const auto& t : *r) n += t.trimmed;
    return n;
  }
  FakeClock clock_;
};

TEST_F(StreamTrimmerTest, KeepsEntriesPendingInOneGroupTrimsAckedByAll) {
  const std::string s = keys::ScoresStream();
  ASSERT_TRUE(redis_->EnsureGroup(s, "a").ok());
  ASSERT_TRUE(redis_->EnsureGroup(s, "b").ok());
  std::vector<std::string> ids = Add(s, 6);
  // Group a reads and acks everything; group b reads 4, acks the first 2
  // and leaves 2 pending; entries 5 and 6 were never delivered to b.
  ASSERT_EQ(redis_->XReadGroup("a", "c", s, 10, milliseconds(0))->size(), 6u);
  ASSERT_TRUE(redis_->XAck(s, "a", ids).ok());
  ASSERT_EQ(redis_->XReadGroup("b", "c", s, 4, milliseconds(0))->size(), 4u);
  ASSERT_TRUE(redis_->XAck(s, "b", {ids[0], ids[1]}).ok());

  EXPECT_EQ(Trim({{s}}), 2);
  EXPECT_EQ(Ids(s), std::vector<std::string>(ids.begin() + 2, ids.end()));

  // An old pending entry is kept even though later ones are acked.
  ASSERT_TRUE(redis_->XAck(s, "b", {ids[3]}).ok());
  EXPECT_EQ(Trim({{s, milliseconds(1)}}), 0);
  EXPECT_EQ(Ids(s).front(), ids[2]);

  ASSERT_TRUE(redis_->XAck(s, "b", {ids[2]}).ok());
  EXPECT_EQ(Trim({{s}}), 2);
  // Delivered to a but not yet to b: kept.
  EXPECT_EQ(Ids(s), std::vector<std::string>(ids.begin() + 4, ids.end()));
  ASSERT_EQ(redis_->XReadGroup("b", "c", s, 10, milliseconds(0))->size(), 2u);
  ASSERT_TRUE(redis_->XAck(s, "b", {ids[4], ids[5]}).ok());
  EXPECT_EQ(Trim({{s}}), 2);
  EXPECT_TRUE(Ids(s).empty());
}

TEST_F(StreamTrimmerTest, StreamWithoutGroupsIsCutByAgeOnly) {
  const std::string s = keys::PapersStream();
  Add(s, 3);
  // Entries are stamped by Redis' clock (now); the fake clock's start is
  // years earlier, so nothing is old yet.
  EXPECT_EQ(Trim(StreamTrimmer::DefaultPolicies(milliseconds(0), 1)), 0);
  EXPECT_EQ(Trim(StreamTrimmer::DefaultPolicies(milliseconds(1), 1)), 0);
  EXPECT_EQ(Ids(s).size(), 3u);
  clock_.SetNow(std::chrono::system_clock::now() + std::chrono::hours(48));
  EXPECT_EQ(Trim(StreamTrimmer::DefaultPolicies(std::chrono::hours(24), 1)), 3);
  EXPECT_TRUE(Ids(s).empty());
}

TEST_F(StreamTrimmerTest, AgeDropsWhatAGoneGroupNeverReadButKeepsPending) {
  const std::string s = keys::RunsStream();
  ASSERT_TRUE(redis_->EnsureGroup(s, "live").ok());
  ASSERT_TRUE(redis_->EnsureGroup(s, "gone").ok());  // never reads
  std::vector<std::string> ids = Add(s, 4);
  ASSERT_EQ(redis_->XReadGroup("live", "c", s, 10, milliseconds(0))->size(),
            4u);
  ASSERT_TRUE(redis_->XAck(s, "live", {ids[0], ids[2], ids[3]}).ok());
  // Acks alone: "gone" pins everything.
  EXPECT_EQ(Trim({{s}}), 0);
  // A day later with a 1 h age limit: all but the entry pending in "live".
  clock_.SetNow(std::chrono::system_clock::now() + std::chrono::hours(24));
  EXPECT_EQ(Trim({{s, std::chrono::hours(1)}}), 1);
  EXPECT_EQ(Ids(s), std::vector<std::string>(ids.begin() + 1, ids.end()));
  ASSERT_TRUE(redis_->XAck(s, "live", {ids[1]}).ok());
  EXPECT_EQ(Trim({{s, std::chrono::hours(1)}}), 3);
  EXPECT_TRUE(Ids(s).empty());
}

TEST_F(StreamTrimmerTest, DeadLetterStreamCutByAgeAndLengthCap) {
  const std::string s = keys::DeadLetterStream();
  // Explicit ids date the entries: two old ones, then 300 recent ones.
  const int64_t now_ms =
      std::chrono::duration_cast<milliseconds>(clock_.Now().time_since_epoch())
          .count();
  for (int64_t t : {now_ms - 10'000'000, now_ms - 9'000'000}) {
    ASSERT_TRUE(
        redis_->Command({"XADD", s, std::to_string(t) + "-0", "reason", "old"})
            .ok());
  }
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(redis_
                    ->Command({"XADD", s, std::to_string(now_ms + i) + "-0",
                               "reason", "new"})
                    .ok());
  }
  EXPECT_EQ(Trim({{s, milliseconds(3'600'000), 0}}), 2);
  EXPECT_EQ(Ids(s).size(), 300u);
  // Approximate: whole nodes of 100 entries go, never below the cap.
  const int64_t cut = Trim({{s, milliseconds(0), 150}});
  EXPECT_GT(cut, 0);
  EXPECT_GE(Ids(s).size(), 150u);
  EXPECT_LT(Ids(s).size(), 300u);
}

}  // namespace
}  // namespace arxiv_digest
