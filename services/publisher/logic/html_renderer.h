// The digest as one standalone HTML5 page (for e-mail, a static site and
// the api's reader page).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/text/markup_escape.h"  // HtmlEscape, used by callers too
#include "services/publisher/logic/markdown_renderer.h"
#include "services/publisher/logic/ranking.h"

namespace arxiv_digest {

// UTF-8 page with inline CSS and no script: title, token/cost table (or
// "no known price"), totals, a table of contents linking to #linkN
// anchors, then every paper as a card with its abstract, PDF and arXiv HTML
// links, categories, authors, abstract, comment and scores, and at the end
// `prompt_section` (BuildDigestPromptSection's text) when it is not empty.
// Paper text goes through TexToText (tex_to_text.h) and is escaped. The
// layout has no fixed widths: nothing scrolls sideways at 390 px.
std::string RenderDigestHtml(const DigestHeader& header,
                             const std::vector<ScoredPaper>& ranked,
                             std::string_view prompt_section = {});

// arXiv's PDF and HTML (ar5iv successor) links of a paper id.
std::string ArxivPdfUrl(std::string_view arxiv_id);
std::string ArxivHtmlUrl(std::string_view arxiv_id);

}  // namespace arxiv_digest
