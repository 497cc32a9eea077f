// Makes arbitrary bytes valid UTF-8 before they leave the fetcher: feeds are
// untrusted, and the JSON written to Redis (and every reader after it) must
// never see an invalid sequence.
#pragma once

#include <string>
#include <string_view>

#include "lib/core/paper.h"

namespace arxiv_digest {

// Replaces each maximal invalid subpart (overlong forms, surrogates, code
// points above U+10FFFF, stray continuation bytes, truncated sequences) with
// U+FFFD, as the Unicode "substitution of maximal subparts" practice does.
// Returns the number of replacements; 0 leaves `text` untouched.
int SanitizeUtf8(std::string& text);

// True when `text` is valid UTF-8.
bool IsValidUtf8(std::string_view text);

// SanitizeUtf8 on every text field of a paper; returns the replacements.
int SanitizePaperText(Paper& paper);

}  // namespace arxiv_digest
