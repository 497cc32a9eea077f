#include "lib/prompt/seed_prompt.h"

#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace arxiv_digest {

std::string BuildSeedScoringPrompt(
    const PromptTexts& prompts, const std::vector<std::string>& paper_strings) {
  const std::string papers = absl::StrJoin(paper_strings, "\n\n");
  const std::vector<absl::string_view> parts = {
      prompts.base, prompts.topics, prompts.score_criteria,
      "## Papers",  papers,         prompts.postfix};
  return absl::StrJoin(parts, "\n\n");
}

}  // namespace arxiv_digest
