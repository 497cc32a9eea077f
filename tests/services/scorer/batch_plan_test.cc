// Planning one read of the papers stream, without Redis: grouping by run in
// stream order, and giving up what can never succeed.
#include "services/scorer/logic/batch_plan.h"

#include <gtest/gtest.h>

#include "lib/json/json_util.h"

namespace arxiv_digest {
namespace {

// An entry as the fetcher writes it, decoded as the scorer decodes it.
ReadEntry Entry(const std::string& id, const std::string& run,
                const std::string& arxiv_id) {
  Paper p;
  p.arxiv_id = arxiv_id;
  p.title = "T";
  p.authors = {"A"};
  p.abstract = "X";
  return ReadEntry{id, contract::DecodePaperEntry({{"run_id", run},
                                                   {"arxiv_id", arxiv_id},
                                                   {"paper", PaperToJson(p)}})};
}

std::vector<std::string> EntryIds(const RunBatch& run) {
  std::vector<std::string> ids;
  for (const RunWork& w : run.work) ids.push_back(w.entry_id);
  return ids;
}

TEST(BatchPlanTest, InterleavedRunsKeepStreamOrderPerRun) {
  BatchPlan plan = PlanBatch(
      {Entry("1-0", "run-b", "2504.00001"), Entry("2-0", "run-a", "2504.00002"),
       Entry("3-0", "run-b", "2504.00003"), Entry("4-0", "run-a", "2504.00004"),
       Entry("5-0", "run-b", "2504.00005")});
  EXPECT_TRUE(plan.give_ups.empty());
  ASSERT_EQ(plan.runs.size(), 2u);
  // Runs in order of their first entry, entries in stream order.
  EXPECT_EQ(plan.runs[0].run_id, "run-b");
  EXPECT_EQ(EntryIds(plan.runs[0]),
            (std::vector<std::string>{"1-0", "3-0", "5-0"}));
  EXPECT_EQ(plan.runs[1].run_id, "run-a");
  EXPECT_EQ(EntryIds(plan.runs[1]), (std::vector<std::string>{"2-0", "4-0"}));
  EXPECT_EQ(plan.runs[1].work[1].paper.arxiv_id, "2504.00004");
}

TEST(BatchPlanTest, MalformedEntriesAreGivenUpWithoutAScore) {
  ReadEntry bad_json{"1-0", contract::DecodePaperEntry({{"run_id", "run-a"},
                                                        {"arxiv_id", "2504.1"},
                                                        {"paper", "{not"}})};
  ReadEntry no_paper{"2-0", contract::DecodePaperEntry(
                                {{"run_id", "run-a"}, {"arxiv_id", "x"}})};
  ReadEntry no_run = Entry("3-0", "", "2504.00003");
  ReadEntry decode_error{"4-0", absl::InvalidArgumentError("paper: missing")};
  BatchPlan plan =
      PlanBatch({bad_json, no_paper, Entry("5-0", "run-a", "2504.00005"),
                 no_run, decode_error});
  ASSERT_EQ(plan.give_ups.size(), 4u);
  for (const GiveUp& g : plan.give_ups) {
    EXPECT_EQ(g.reason.rfind("malformed entry: ", 0), 0u) << g.reason;
    EXPECT_FALSE(g.unscored.has_value()) << g.entry_id;
    EXPECT_TRUE(g.run_id.empty());
  }
  EXPECT_EQ(plan.give_ups[0].entry_id, "1-0");
  EXPECT_EQ(plan.give_ups[1].entry_id, "2-0");
  EXPECT_NE(plan.give_ups[2].reason.find("run_id"), std::string::npos)
      << plan.give_ups[2].reason;
  EXPECT_EQ(plan.give_ups[3].reason, "malformed entry: paper: missing");
  ASSERT_EQ(plan.runs.size(), 1u);
  EXPECT_EQ(EntryIds(plan.runs[0]), std::vector<std::string>{"5-0"});
}

TEST(BatchPlanTest, GiveUpPaperRecordsAnUnscoredScore) {
  GiveUp g = GiveUpPaper("2-0", "run-a", "2504.00002",
                         "delivered 4 times without success");
  EXPECT_EQ(g.entry_id, "2-0");
  EXPECT_EQ(g.run_id, "run-a");
  ASSERT_TRUE(g.unscored.has_value());
  EXPECT_EQ(g.unscored->arxiv_id, "2504.00002");
  EXPECT_FALSE(g.unscored->scored);
  EXPECT_EQ(g.unscored->error,
            "dead-lettered: delivered 4 times without success");
  // Without a run or paper there is nothing to record.
  EXPECT_FALSE(GiveUpPaper("3-0", "", "", "malformed").unscored.has_value());
}

}  // namespace
}  // namespace arxiv_digest
