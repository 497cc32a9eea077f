#include "services/scorer/logic/adaptive_batch.h"

#include <gtest/gtest.h>

#include "services/scorer/logic/stream_read_batch.h"

namespace arxiv_digest {
namespace {

TEST(AdaptiveBatchSizeTest, OffOrSmallRunsKeepTheConfiguredSize) {
  EXPECT_EQ(AdaptiveBatchSize(4, 500, false, 32), 4);
  EXPECT_EQ(AdaptiveBatchSize(4, 32, true, 32), 4);
  EXPECT_EQ(AdaptiveBatchSize(4, 0, true, 32), 4);
  EXPECT_EQ(AdaptiveBatchSize(4, 500, true, 0), 4);
  EXPECT_EQ(AdaptiveBatchSize(0, 5, false, 32), 1);
}

// The seed config.ini's own example: batch 1, threshold 10 -> 1 for <= 10
// papers, 2 for 11-20, 3 for 21-40, 4 for 41-80.
TEST(AdaptiveBatchSizeTest, ReproducesTheSeedToolsExample) {
  EXPECT_EQ(AdaptiveBatchSize(1, 10, true, 10), 1);
  EXPECT_EQ(AdaptiveBatchSize(1, 11, true, 10), 2);
  EXPECT_EQ(AdaptiveBatchSize(1, 20, true, 10), 2);
  EXPECT_EQ(AdaptiveBatchSize(1, 21, true, 10), 3);
  EXPECT_EQ(AdaptiveBatchSize(1, 40, true, 10), 3);
  EXPECT_EQ(AdaptiveBatchSize(1, 41, true, 10), 4);
  EXPECT_EQ(AdaptiveBatchSize(1, 80, true, 10), 4);
  EXPECT_EQ(AdaptiveBatchSize(1, 81, true, 10), 5);
}

// The seed config (title 8, abstract 4, threshold 32) on 2025-04-22's 462
// scanned papers: ceil(log2(462 / 32) + 1) = ceil(4.85) = 5.
TEST(AdaptiveBatchSizeTest, SeedConfigOnARealDay) {
  EXPECT_EQ(AdaptiveBatchSize(8, 462, true, 32), 40);
  EXPECT_EQ(AdaptiveBatchSize(4, 462, true, 32), 20);
  EXPECT_EQ(AdaptiveBatchSize(4, 64, true, 32), 8);
  EXPECT_EQ(AdaptiveBatchSize(4, 65, true, 32), 12);
}

TEST(SplitIntoBatchesTest, OnlyTheLastBatchIsShort) {
  std::vector<Paper> papers(7);
  for (size_t i = 0; i < papers.size(); ++i) {
    papers[i].arxiv_id = "2504.0000" + std::to_string(i);
  }
  auto batches = SplitIntoBatches(papers, 3);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].size(), 3u);
  EXPECT_EQ(batches[1].size(), 3u);
  ASSERT_EQ(batches[2].size(), 1u);
  EXPECT_EQ(batches[2][0].arxiv_id, "2504.00006");
  EXPECT_EQ(SplitIntoBatches(papers, 0).size(), 1u);
  EXPECT_TRUE(SplitIntoBatches({}, 3).empty());
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

TEST(StreamReadBatchTest, UnchangedWithoutTheSeedStages) {
  SelectionConfig s;
  s.abstract_batch_size = 5;
  EXPECT_EQ(StreamReadBatch(s), 5);
}

TEST(StreamReadBatchTest, SeveralBatchesPerReadWithTitleOrAdaptive) {
  SelectionConfig s;
  s.abstract_batch_size = 4;
  s.title_batch_size = 8;
  s.run_title_filter = true;
  EXPECT_EQ(StreamReadBatch(s), 32);
  s.adaptive_batch_size = true;
  EXPECT_EQ(StreamReadBatch(s), 128);
  s.title_batch_size = 100;
  EXPECT_EQ(StreamReadBatch(s), kMaxStreamReadBatch);
  s.run_openai = false;  // no title stage without the LLM
  s.title_batch_size = 8;
  EXPECT_EQ(StreamReadBatch(s), 64);
}

}  // namespace
}  // namespace arxiv_digest
