#include "services/scorer/logic/author_matcher.h"

#include <array>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "lib/core/string_view.h"

namespace arxiv_digest {
namespace {

// ASCII spelling of U+00C0..U+017F (Latin-1 Supplement letters and Latin
// Extended-A), already lower-case. "" = not a letter (x, division sign).
constexpr std::array<const char*, 0x180 - 0xC0> kLatinFold = {
    // U+00C0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",
    "i",
    // U+00D0
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th",
    "ss",
    // U+00E0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",
    "i",
    // U+00F0
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th",
    "y",
    // U+0100
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d",
    "d",
    // U+0110
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g",
    "g",
    // U+0120
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i",
    "i",
    // U+0130
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l",
    "l",
    // U+0140
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o",
    "o",
    // U+0150
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s",
    "s",
    // U+0160
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u",
    "u",
    // U+0170
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z",
    "s"};

// Decodes one UTF-8 sequence at text[i]; returns its length (1 for an
// invalid byte, which is then passed through unchanged).
size_t DecodeUtf8(absl::string_view text, size_t i, uint32_t& cp) {
  const unsigned char c = static_cast<unsigned char>(text[i]);
  size_t len = c < 0x80           ? 1
               : (c >> 5) == 0x6  ? 2
               : (c >> 4) == 0xE  ? 3
               : (c >> 3) == 0x1E ? 4
                                  : 0;
  if (len == 0 || i + len > text.size()) {
    cp = 0xFFFD;
    return 1;
  }
  cp = len == 1 ? c : c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    const unsigned char cc = static_cast<unsigned char>(text[i + k]);
    if ((cc & 0xC0) != 0x80) {
      cp = 0xFFFD;
      return 1;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  return len;
}

std::string FoldUtf8Latin(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const size_t len = DecodeUtf8(text, i, cp);
    if (cp >= 0xC0 && cp < 0x180) {
      const char* folded = kLatinFold[cp - 0xC0];
      out += *folded ? folded : " ";
    } else if (cp >= 0x218 && cp <= 0x21B) {  // Romanian s/t with comma
      out += cp < 0x21A ? "s" : "t";
    } else if (cp >= 0x300 && cp <= 0x36F) {
      // Combining accents of decomposed (NFD) text: drop them.
    } else if (cp == 0x2018 || cp == 0x2019 || cp == 0x2BC) {
      out += '\'';
    } else if (cp == 0xA0 || (cp >= 0x2010 && cp <= 0x2015)) {
      out += ' ';  // no-break space, Unicode hyphens and dashes
    } else {
      out.append(text.data() + i, len);
    }
    i += len;
  }
  return out;
}

// LaTeX control words standing for a letter, and accent commands whose
// argument is the letter itself.
absl::string_view LatexLetter(absl::string_view word, bool& is_accent) {
  is_accent = false;
  static constexpr std::pair<absl::string_view, absl::string_view> kLetters[] =
      {{"ss", "ss"}, {"o", "o"},   {"O", "o"},   {"l", "l"},   {"L", "l"},
       {"ae", "ae"}, {"AE", "ae"}, {"oe", "oe"}, {"OE", "oe"}, {"aa", "a"},
       {"AA", "a"},  {"i", "i"},   {"j", "j"}};
  for (const auto& [name, letter] : kLetters) {
    if (word == name) return letter;
  }
  static constexpr absl::string_view kAccents[] = {"c", "v", "u", "H", "k",
                                                   "r", "d", "b", "t"};
  for (absl::string_view accent : kAccents) {
    if (word == accent) is_accent = true;
  }
  return "";
}

// Drops accent commands and braces, keeping the accented letter:
// \"o, \"{o}, {\"o}, \'e, \`e, \c{c}, \v s, \ss{} -> o, o, o, e, e, c, s, ss.
std::string FoldLatex(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' || c == '}') continue;
    if (c == '~') {  // LaTeX no-break space
      out += ' ';
      continue;
    }
    if (c != '\\' || i + 1 >= text.size()) {
      out += c;
      continue;
    }
    const char next = text[i + 1];
    if (!absl::ascii_isalpha(static_cast<unsigned char>(next))) {
      ++i;  // control symbol (\" \' \` \^ \~ \= \. \\): drop it
      continue;
    }
    size_t end = i + 1;
    while (end < text.size() &&
           absl::ascii_isalpha(static_cast<unsigned char>(text[end]))) {
      ++end;
    }
    bool is_accent = false;
    absl::StrAppend(&out,
                    LatexLetter(text.substr(i + 1, end - i - 1), is_accent));
    // TeX swallows the spaces after a control word ("\c c", "\o rn").
    while (end < text.size() && text[end] == ' ') ++end;
    i = end - 1;
  }
  return out;
}

bool IsSuffix(absl::string_view token) {
  return token == "jr" || token == "sr" || token == "ii" || token == "iii" ||
         token == "iv";
}

std::vector<std::string> Tokens(absl::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '\'') continue;  // O'Brien == OBrien
    if (absl::ascii_isalnum(u) || u >= 0x80) {
      current += absl::ascii_tolower(u);
    } else if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

std::string JoinTokens(absl::string_view text) {
  return absl::StrJoin(Tokens(text), " ");
}

std::vector<std::string> NameTokens(const std::string& name) {
  return absl::StrSplit(NormalizeAuthorName(name), ' ', absl::SkipEmpty());
}

// Given names other than the primary one, reduced to their initials.
struct ParsedName {
  std::string last;
  std::string first;           // first given name that is not an initial
  std::string other_initials;  // initials of the remaining given names
  bool single = false;         // mononym: compared whole
  std::string whole;
};

ParsedName Parse(const std::vector<std::string>& tokens) {
  ParsedName name;
  name.whole = absl::StrJoin(tokens, " ");
  if (tokens.size() < 2) {
    name.single = true;
    return name;
  }
  name.last = tokens.back();
  size_t primary = 0;
  while (primary + 1 < tokens.size() - 1 && tokens[primary].size() == 1) {
    ++primary;  // skip leading initials: "J. Zico Kolter" -> Zico
  }
  if (tokens[primary].size() == 1) primary = 0;  // initials only: "J. Smith"
  name.first = tokens[primary];
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (i != primary) name.other_initials += tokens[i][0];
  }
  return name;
}

bool IsSubsequence(absl::string_view small, absl::string_view big) {
  size_t j = 0;
  for (char c : big) {
    if (j < small.size() && small[j] == c) ++j;
  }
  return j == small.size();
}

bool SamePerson(const ParsedName& a, const ParsedName& b) {
  if (a.single || b.single) return a.whole == b.whole;
  if (a.last != b.last || a.first != b.first) return false;
  // "John A. Smith" vs "John B. Smith" differ; a missing middle name is fine.
  const std::string& shorter =
      a.other_initials.size() <= b.other_initials.size() ? a.other_initials
                                                         : b.other_initials;
  const std::string& longer =
      &shorter == &a.other_initials ? b.other_initials : a.other_initials;
  return IsSubsequence(shorter, longer);
}

}  // namespace

std::string NormalizeAuthorName(std::string_view name) {
  const std::string folded = FoldUtf8Latin(FoldLatex(AsAbsl(name)));
  // "Last, First[, Jr.]" -> "First Last"; a lone suffix part is dropped.
  std::vector<absl::string_view> parts = absl::StrSplit(folded, ',');
  while (parts.size() > 1 && (JoinTokens(parts.back()).empty() ||
                              IsSuffix(JoinTokens(parts.back())))) {
    parts.pop_back();
  }
  std::string ordered;
  if (parts.size() == 2) {
    ordered = absl::StrCat(parts[1], " ", parts[0]);
  } else {
    ordered = absl::StrJoin(parts, " ");
  }
  std::vector<std::string> tokens = Tokens(ordered);
  while (tokens.size() > 2 && IsSuffix(tokens.back())) tokens.pop_back();
  return absl::StrJoin(tokens, " ");
}

bool IsFollowedAuthor(const std::vector<std::string>& paper_authors,
                      const std::vector<FollowedAuthor>& followed) {
  std::vector<ParsedName> wanted;
  for (const FollowedAuthor& author : followed) {
    std::vector<std::string> tokens = NameTokens(author.name);
    if (!tokens.empty()) wanted.push_back(Parse(tokens));
  }
  for (const std::string& author : paper_authors) {
    std::vector<std::string> tokens = NameTokens(author);
    if (tokens.empty()) continue;
    const ParsedName name = Parse(tokens);
    for (const ParsedName& w : wanted) {
      if (SamePerson(name, w)) return true;
    }
  }
  return false;
}

std::vector<FollowedAuthor> NameMatchCandidates(
    const std::vector<FollowedAuthor>& followed, bool author_ids_known) {
  if (!author_ids_known) return followed;
  std::vector<FollowedAuthor> by_name;
  for (const FollowedAuthor& f : followed) {
    if (f.id.empty()) by_name.push_back(f);
  }
  return by_name;
}

}  // namespace arxiv_digest
