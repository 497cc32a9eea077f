// RedisRunRepository::LoadRecords against a real redis-server: the scorer's
// fate records come along, but only those of the run's own papers.
#include "services/publisher/adapters/redis_run_repository.h"

#include <gtest/gtest.h>

#include <string>

#include "lib/contract/paper_fate.h"
#include "lib/redis/keys.h"
#include "tests/support/redis_test.h"

namespace arxiv_digest {
namespace {

class RedisRunRepositoryTest : public testing::RedisTest {};

TEST_F(RedisRunRepositoryTest, LoadsTheFatesOfTheRunsPapersOnly) {
  const std::string run = "2025-04-22-0000abcd";
  const std::string fate = contract::EncodePaperFate(
      contract::PaperFate{"2504.00001", "title", true, "irrelevant", 12});
  ASSERT_TRUE(redis_
                  ->HSet(keys::RunPapers(run),
                         {{"2504.00001", "{}"}, {"2504.00002", "{}"}})
                  .ok());
  ASSERT_TRUE(
      redis_
          ->HSet(keys::RunFates(run), {{"2504.00001", fate},
                                       // Not a paper of the run: never read.
                                       {"2504.09999", fate}})
          .ok());
  RedisRunRepository repo(*redis_);
  absl::StatusOr<RunRecords> records = repo.LoadRecords(run);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(records->papers.size(), 2u);
  ASSERT_EQ(records->fates.size(), 1u);
  EXPECT_EQ(records->fates.at("2504.00001"), fate);
}

TEST_F(RedisRunRepositoryTest, ARunWithoutFatesLoadsNone) {
  const std::string run = "2025-04-22-0000abce";
  ASSERT_TRUE(redis_->HSet(keys::RunPapers(run), {{"2504.00001", "{}"}}).ok());
  RedisRunRepository repo(*redis_);
  absl::StatusOr<RunRecords> records = repo.LoadRecords(run);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_TRUE(records->fates.empty());
}

}  // namespace
}  // namespace arxiv_digest
