// Matching paper authors against the followed authors of authors.txt. arXiv
// metadata spells the same person many ways ("Kolter, J. Zico",
// "J. Zico Kolter", "Zico Kolter", "Gr\"{o}\ss{}e", "Größe"), so names are
// normalized before comparing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/config/config.h"

namespace arxiv_digest {

// Lower-case ASCII-folded name with single spaces: LaTeX accent escapes and
// UTF-8 Latin accents folded ("\"o", "{\"u}", "\c{c}", "é" -> o, u, c, e),
// "Last, First" turned around, '.', '-' and other punctuation made spaces.
// Non-Latin characters are kept as they are.
std::string NormalizeAuthorName(std::string_view name);

// True when some paper author is a followed author: same last name, same
// first given name (leading initials such as the "J." of "J. Zico Kolter"
// may be left out), and compatible middle names when both spell them out.
bool IsFollowedAuthor(const std::vector<std::string>& paper_authors,
                      const std::vector<FollowedAuthor>& followed);

// The followed authors a paper may be matched with by name. The seed tool
// matches authors.txt "Name, id" lines by Semantic Scholar author id: when
// S2 gave the paper's author ids (author_ids_known), such a line is matched
// by its id alone (a namesake with another id is someone else) and only the
// lines without an id are left for names. When S2 cannot tell (not asked,
// unreachable, paper unknown to it, no author ids), every line falls back
// to its name.
std::vector<FollowedAuthor> NameMatchCandidates(
    const std::vector<FollowedAuthor>& followed, bool author_ids_known);

}  // namespace arxiv_digest
