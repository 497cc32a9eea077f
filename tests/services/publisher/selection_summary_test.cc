// The reader page's sentence on how a run's papers were selected.
#include "services/publisher/logic/selection_summary.h"

#include <gtest/gtest.h>

namespace arxiv_digest {
namespace {

FinalFate Fate(const std::string& stage, bool in_digest) {
  FinalFate f;
  f.stage = stage;
  f.in_digest = in_digest;
  f.dropped = !in_digest;
  return f;
}

TEST(SelectionSummaryTest, CountsEachDroppingStageInTheOrderTheyRun) {
  std::vector<FinalFate> fates;
  for (int i = 0; i < 3; ++i) fates.push_back(Fate("title", false));
  fates.push_back(Fate("cutoff", false));
  for (int i = 0; i < 2; ++i) fates.push_back(Fate("h_index", false));
  fates.push_back(Fate("abstract", true));
  fates.push_back(Fate("author_match", true));
  fates.push_back(Fate("abstract", false));
  EXPECT_EQ(SelectionSummary(fates),
            "How the 9 papers were selected: 2 dropped by the h-index stage, "
            "3 by the title stage, 1 by their scores, 1 by the cut-offs; 2 in "
            "this digest.");
}

TEST(SelectionSummaryTest, NothingDroppedAndUnknownStages) {
  EXPECT_EQ(SelectionSummary({Fate("abstract", true)}),
            "How the 1 paper was selected: 1 in this digest.");
  EXPECT_EQ(
      SelectionSummary({Fate("a_future_stage", false), Fate("abstract", true)}),
      "How the 2 papers were selected: 1 dropped by a_future_stage; 1 "
      "in this digest.");
}

TEST(SelectionSummaryTest, NoFatesNoSentence) {
  EXPECT_EQ(SelectionSummary({}), "");
}

}  // namespace
}  // namespace arxiv_digest
