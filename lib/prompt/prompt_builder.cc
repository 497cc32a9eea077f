#include "lib/prompt/prompt_builder.h"

#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace arxiv_digest {
namespace {

// Returns the byte length of the first `max_code_points` code points of
// `text`. Python's `abstract[:4000]` counts code points, so cutting by bytes
// would both send a different prompt and risk splitting a UTF-8 sequence.
// Continuation bytes (10xxxxxx) never start a code point; invalid bytes count
// as one code point each, which keeps the result well-defined for bad input.
size_t Utf8PrefixBytes(std::string_view text, size_t max_code_points) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation of the current point
    if (count == max_code_points) return i;
    ++count;
  }
  return text.size();
}

}  // namespace

std::string PaperToPromptString(const Paper& paper, PromptLayout layout) {
  const std::string_view abstract = paper.abstract;
  const size_t cut = Utf8PrefixBytes(abstract, kAbstractCutoff);
  std::string out;
  out.reserve(64 + paper.arxiv_id.size() + paper.title.size() + cut);
  out += "ArXiv ID: ";
  out += paper.arxiv_id;
  out += "\nTitle: ";
  out += paper.title;
  out += "\nAuthors: ";
  out += absl::StrJoin(paper.authors,
                       layout == PromptLayout::kTatsu ? " and " : ", ");
  out += "\nAbstract: ";
  out += abstract.substr(0, cut);
  return out;
}

std::string BuildScoringPrompt(const PromptTexts& prompts,
                               const std::vector<std::string>& paper_strings) {
  const std::string papers = absl::StrJoin(paper_strings, "\n\n");
  if (prompts.layout == PromptLayout::kTatsu) {
    // tatsu-lab's run_on_batch: "\n".join([base, topics + "\n",
    // papers + "\n", postfix]); no criteria file, no "## Papers" line.
    return absl::StrCat(prompts.base, "\n", prompts.topics, "\n\n", papers,
                        "\n\n", prompts.postfix);
  }
  // Same order as the Python tool; the reference digests show it.
  const std::vector<absl::string_view> parts = {
      prompts.base, prompts.postfix, prompts.score_criteria,
      "## Papers",  papers,          prompts.topics};
  return absl::StrJoin(parts, "\n\n");
}

std::string BuildDigestPromptSection(const PromptTexts& prompts) {
  return BuildScoringPrompt(prompts, {"[PAPER LIST HERE]"});
}

}  // namespace arxiv_digest
