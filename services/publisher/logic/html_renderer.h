// The digest as one standalone HTML5 page (for e-mail or a static site).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/text/markup_escape.h"  // HtmlEscape, used by callers too
#include "services/publisher/logic/markdown_renderer.h"
#include "services/publisher/logic/ranking.h"

namespace arxiv_digest {

// Escapes &, <, >, " and ' so text is safe in element content and in
// quoted attribute values.

// UTF-8 page with inline CSS: title, token/cost table, totals, a table of
// contents linking to #linkN anchors, then every paper with its arXiv link,
// authors, abstract, comment and scores. All paper text is escaped.
std::string RenderDigestHtml(const DigestHeader& header,
                             const std::vector<ScoredPaper>& ranked);

}  // namespace arxiv_digest
