#include "lib/prompt/cache_friendly_prompt.h"

#include <cstdint>
#include <cstdio>

namespace arxiv_digest {

std::string BuildCacheFriendlyPrompt(
    const PromptTexts& prompts, const std::vector<std::string>& paper_strings) {
  std::string out;
  for (const std::string* part : {&prompts.base, &prompts.postfix,
                                  &prompts.score_criteria, &prompts.topics}) {
    out += *part;
    out += "\n\n";
  }
  out += "## Papers";
  for (const std::string& paper : paper_strings) {
    out += "\n\n";
    out += paper;
  }
  return out;
}

std::string PromptFingerprint(const PromptTexts& prompts) {
  uint64_t hash = 1469598103934665603ULL;
  for (const std::string* part : {&prompts.base, &prompts.postfix,
                                  &prompts.score_criteria, &prompts.topics}) {
    for (unsigned char c : *part) {
      hash ^= c;
      hash *= 1099511628211ULL;
    }
    hash ^= 0xff;  // separator, so moving text between parts changes the hash
    hash *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx",
                static_cast<unsigned long long>(hash));
  return buf;
}

}  // namespace arxiv_digest
