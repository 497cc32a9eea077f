// The prompt as the scorer sends it by default: every static part (base,
// instructions, criteria, topics) before the paper list, so the provider's
// prefix cache covers everything but the papers. Same words as the
// reference layout (BuildScoringPrompt), only the topics move up.
#pragma once

#include <string>
#include <vector>

#include "lib/config/config.h"

namespace arxiv_digest {

std::string BuildCacheFriendlyPrompt(
    const PromptTexts& prompts, const std::vector<std::string>& paper_strings);

// A stable 64-bit FNV-1a hex digest of everything that shapes a score
// (all prompt texts), for score-cache keys.
std::string PromptFingerprint(const PromptTexts& prompts);

}  // namespace arxiv_digest
