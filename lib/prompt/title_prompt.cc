#include "lib/prompt/title_prompt.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace arxiv_digest {

std::string PaperToTitleString(const Paper& paper) {
  return absl::StrCat("ArXiv ID: ", paper.arxiv_id, "\nTitle: ", paper.title);
}

std::string BuildTitlePrompt(const PromptTexts& prompts,
                             const std::vector<std::string>& title_strings) {
  const std::string papers = absl::StrJoin(title_strings, "\n\n");
  const std::vector<absl::string_view> parts = {
      prompts.base, prompts.topics, "## Papers", papers, prompts.title_postfix};
  return absl::StrJoin(parts, "\n\n");
}

}  // namespace arxiv_digest
