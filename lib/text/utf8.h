// UTF-8 encoding of one code point, shared by the feed parser (HTML
// entities) and the TeX-to-text cleaner (accents).
#pragma once

#include <cstdint>
#include <string>

namespace arxiv_digest {

// Appends `cp` (at most U+10FFFF; callers pass valid code points) to `out`.
void AppendUtf8(uint32_t cp, std::string& out);

}  // namespace arxiv_digest
