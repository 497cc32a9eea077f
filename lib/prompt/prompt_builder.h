// The selection prompt exactly as the Python tool built it. Shared by the
// scorer (what is sent) and the publisher (what the digest shows).
#pragma once

#include <string>
#include <vector>

#include "lib/config/config.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

// Characters (Unicode code points, as Python slices) of an abstract sent.
inline constexpr size_t kAbstractCutoff = 4000;

// "ArXiv ID: …\nTitle: …\nAuthors: a, b\nAbstract: <first 4000 chars>".
// With the tatsu layout the authors are joined by " and ", as that tool did.
std::string PaperToPromptString(const Paper& paper,
                                PromptLayout layout = PromptLayout::kReference);

// base, instructions, scoring criteria, "## Papers", the papers joined by
// blank lines, topics: all joined by blank lines (the reference layout).
// With prompts.layout == kTatsu (no score_criteria.txt) tatsu-lab's order:
// base, topics, the papers, instructions.
std::string BuildScoringPrompt(const PromptTexts& prompts,
                               const std::vector<std::string>& paper_strings);

// The prompt as the digest appends it: the paper list is "[PAPER LIST HERE]".
std::string BuildDigestPromptSection(const PromptTexts& prompts);

}  // namespace arxiv_digest
