#include "services/fetcher/logic/utf8_sanitizer.h"

#include <cstdint>

namespace arxiv_digest {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid sequence starting at s[i], or 0 when the bytes there
// do not start one. Follows the well-formed table of Unicode 15, 3.9 D92.
size_t ValidSequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t n;
  uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + 1 >= s.size() || byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (i + k >= s.size() || (byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return n;
}

// Bytes of an invalid subpart at s[i]: a lead byte with the continuation
// bytes that were still valid for it, so "\xE2\x82" (a cut "€") becomes one
// U+FFFD rather than two.
size_t InvalidSubpartLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t b0 = byte(i);
  size_t n = 0;
  uint8_t lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 1;
  }
  size_t k = 1;
  for (; k < n && i + k < s.size(); ++k) {
    uint8_t b = byte(i + k);
    if (k == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80) break;
  }
  return k;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    size_t n = ValidSequenceLength(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

int SanitizeUtf8(std::string& text) {
  if (IsValidUtf8(text)) return 0;
  std::string out;
  out.reserve(text.size() + 16);
  int replaced = 0;
  std::string_view s = text;
  for (size_t i = 0; i < s.size();) {
    if (size_t n = ValidSequenceLength(s, i); n > 0) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += kReplacement;
      ++replaced;
      i += InvalidSubpartLength(s, i);
    }
  }
  text = std::move(out);
  return replaced;
}

int SanitizePaperText(Paper& paper) {
  int n = SanitizeUtf8(paper.arxiv_id) + SanitizeUtf8(paper.title) +
          SanitizeUtf8(paper.abstract) + SanitizeUtf8(paper.announce_type) +
          SanitizeUtf8(paper.feed);
  for (std::string& a : paper.authors) n += SanitizeUtf8(a);
  for (std::string& c : paper.categories) n += SanitizeUtf8(c);
  return n;
}

}  // namespace arxiv_digest
