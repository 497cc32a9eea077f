// The fates hash and the run size on a real redis-server.
#include "services/scorer/adapters/redis_scorer_ports.h"

#include <gtest/gtest.h>

#include "lib/contract/paper_fate.h"
#include "lib/redis/keys.h"
#include "tests/support/redis_test.h"

namespace arxiv_digest {
namespace {

class RedisScorerPortsTest : public testing::RedisTest {};

TEST_F(RedisScorerPortsTest, FatesLandInTheRunsHashWithAnExpiry) {
  RedisScoreSink sink(*redis_);
  const std::string run = "2025-04-22-0000abcd";
  contract::PaperFate title{"2504.00001", contract::fate_stage::kTitle, true,
                            "title stage", std::nullopt};
  contract::PaperFate h{"2504.00002", contract::fate_stage::kHIndex, true,
                        "H-index filtered (max is 3<20)", 3};
  ASSERT_TRUE(sink.RecordFates(run, {title, h}).ok());
  ASSERT_TRUE(sink.RecordFates(run, {}).ok());
  auto all = redis_->HGetAll(keys::RunFates(run));
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  auto decoded = contract::DecodePaperFate(all->at("2504.00002"));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, h);
  auto ttl = redis_->Command({"TTL", keys::RunFates(run)});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 0);
  EXPECT_EQ(keys::RunFates(run), keys::Run(run) + ":fates");
}

// Without a declared size (older runs), the papers appended so far.
TEST_F(RedisScorerPortsTest, RunPaperCountIsTheLengthOfThePapersHash) {
  RedisRunInfo info(*redis_);
  const std::string run = "2025-04-22-0000abcd";
  auto none = info.RunPaperCount(run);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  ASSERT_TRUE(redis_
                  ->HSet(keys::RunPapers(run),
                         {{"2504.00001", "{}"}, {"2504.00002", "{}"}})
                  .ok());
  EXPECT_EQ(*info.RunPaperCount(run), 2);
}

// The fetcher writes papers_to_score before its first paper: a scorer
// reading while the fetcher still appends sizes its adaptive batches for the
// whole day, not for the papers appended so far. A malformed or zero value
// falls back to the hash.
TEST_F(RedisScorerPortsTest, RunPaperCountPrefersTheDeclaredSize) {
  RedisRunInfo info(*redis_);
  const std::string run = "2025-04-22-0000abcd";
  ASSERT_TRUE(redis_->HSet(keys::RunPapers(run), {{"2504.00001", "{}"}}).ok());
  ASSERT_TRUE(redis_
                  ->HSet(keys::Run(run),
                         {{"status", "fetching"}, {"papers_to_score", "506"}})
                  .ok());
  EXPECT_EQ(*info.RunPaperCount(run), 506);
  for (const char* bad : {"lots", "0", "-3"}) {
    ASSERT_TRUE(redis_->HSet(keys::Run(run), {{"papers_to_score", bad}}).ok());
    EXPECT_EQ(*info.RunPaperCount(run), 1) << bad;
  }
}

}  // namespace
}  // namespace arxiv_digest
