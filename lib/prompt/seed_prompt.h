// The abstract-stage prompt in the seed tool's order (DaizeDong
// filter_gpt.get_full_prompt_for_abstract_filtering): base, topics,
// scoring criteria, "## Papers", the papers, the instructions, joined by
// blank lines. Its static head (base, topics, criteria) is the same in
// every call and shared with the title prompt, so providers' prefix
// caching applies; only the short instructions follow the papers.
#pragma once

#include <string>
#include <vector>

#include "lib/config/config.h"

namespace arxiv_digest {

std::string BuildSeedScoringPrompt(
    const PromptTexts& prompts, const std::vector<std::string>& paper_strings);

}  // namespace arxiv_digest
