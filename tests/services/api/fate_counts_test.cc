// CountFates: a run's fate records summed by deciding stage, for GetRun.
#include "services/api/logic/fate_counts.h"

#include <gtest/gtest.h>

#include "lib/contract/paper_fate.h"

namespace arxiv_digest::api {
namespace {

std::string Record(const std::string& id, const std::string& stage,
                   bool dropped) {
  contract::PaperFate f;
  f.arxiv_id = id;
  f.stage = stage;
  f.dropped = dropped;
  f.reason = "why";
  return contract::EncodePaperFate(f);
}

TEST(FateCountsTest, CountsKeptAndDroppedInTheOrderTheStagesRun) {
  FateSummary s = CountFates({
      Record("2504.00001", "abstract", false),
      Record("2504.00002", "title", true),
      Record("2504.00003", "h_index", true),
      Record("2504.00004", "title", true),
      Record("2504.00005", "abstract", true),
      Record("2504.00006", "author_match", false),
      Record("2504.00007", "a_future_stage", true),
      "not json",
      Record("2504.00008", "unscored", true),
  });
  ASSERT_EQ(s.stages.size(), 6u);
  EXPECT_EQ(s.stages[0].stage, "author_match");
  EXPECT_EQ(s.stages[0].kept, 1);
  EXPECT_EQ(s.stages[1].stage, "h_index");
  EXPECT_EQ(s.stages[1].dropped, 1);
  EXPECT_EQ(s.stages[2].stage, "title");
  EXPECT_EQ(s.stages[2].kept, 0);
  EXPECT_EQ(s.stages[2].dropped, 2);
  EXPECT_EQ(s.stages[3].stage, "abstract");
  EXPECT_EQ(s.stages[3].kept, 1);
  EXPECT_EQ(s.stages[3].dropped, 1);
  EXPECT_EQ(s.stages[4].stage, "unscored");
  // A stage this api does not know yet is still counted, last.
  EXPECT_EQ(s.stages[5].stage, "a_future_stage");
  EXPECT_EQ(s.unreadable, 1);
}

TEST(FateCountsTest, NoRecordsNoStages) {
  FateSummary s = CountFates({});
  EXPECT_TRUE(s.stages.empty());
  EXPECT_EQ(s.unreadable, 0);
}

}  // namespace
}  // namespace arxiv_digest::api
