#include "lib/prompt/title_prompt.h"

#include <gtest/gtest.h>

#include "lib/prompt/seed_prompt.h"

namespace arxiv_digest {
namespace {

TEST(TitlePromptTest, PaperIsIdAndTitleOnly) {
  Paper p;
  p.arxiv_id = "2504.14960";
  p.title = "MoE Parallel Folding";
  p.authors = {"A. Author"};
  p.abstract = "Not sent in the title stage.";
  EXPECT_EQ(PaperToTitleString(p),
            "ArXiv ID: 2504.14960\nTitle: MoE Parallel Folding");
}

// The seed tool's "\n\n".join([base, topic, "## Papers",
// "\n\n".join(titles), postfix]).
TEST(TitlePromptTest, SeedToolOrderAndSeparators) {
  PromptTexts prompts;
  prompts.base = "BASE";
  prompts.topics = "TOPICS";
  prompts.score_criteria = "CRITERIA (not in the title stage)";
  prompts.postfix = "ABSTRACT POSTFIX (not in the title stage)";
  prompts.title_postfix = "TITLE POSTFIX";
  EXPECT_EQ(BuildTitlePrompt(
                prompts, {"ArXiv ID: 1\nTitle: a", "ArXiv ID: 2\nTitle: b"}),
            "BASE\n\nTOPICS\n\n## Papers\n\nArXiv ID: 1\nTitle: a\n\n"
            "ArXiv ID: 2\nTitle: b\n\nTITLE POSTFIX");
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

TEST(SeedPromptTest, SeedToolAbstractOrder) {
  PromptTexts prompts;
  prompts.base = "BASE";
  prompts.topics = "TOPICS";
  prompts.score_criteria = "CRITERIA";
  prompts.postfix = "INSTRUCTIONS";
  EXPECT_EQ(BuildSeedScoringPrompt(prompts, {"P1", "P2"}),
            "BASE\n\nTOPICS\n\nCRITERIA\n\n## Papers\n\nP1\n\nP2\n\n"
            "INSTRUCTIONS");
}

}  // namespace
}  // namespace arxiv_digest
