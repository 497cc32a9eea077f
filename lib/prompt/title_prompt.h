// The title-stage prompt exactly as the seed tool (DaizeDong
// filter_gpt.get_full_prompt_for_title_filtering) builds it: base prompt,
// topics, "## Papers", one "ArXiv ID: …\nTitle: …" block per paper, then
// postfix_prompt_title.txt, all joined by blank lines. The static parts
// before the papers are the same as the abstract prompt's, so providers'
// prefix caching applies across both stages.
#pragma once

#include <string>
#include <vector>

#include "lib/config/config.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

// "ArXiv ID: <id>\nTitle: <title>".
std::string PaperToTitleString(const Paper& paper);

// base, topics, "## Papers", the titles joined by blank lines, the title
// postfix: joined by blank lines.
std::string BuildTitlePrompt(const PromptTexts& prompts,
                             const std::vector<std::string>& title_strings);

}  // namespace arxiv_digest
