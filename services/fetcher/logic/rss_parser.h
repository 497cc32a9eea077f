// Parses the RSS 2.0 announcement feeds that rss.arxiv.org serves into
// Papers. Pure logic: the caller fetches the bytes, this only reads them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

// One parsed feed (one configured category entry).
struct Feed {
  std::string title;
  // Channel <pubDate>, e.g. "Tue, 08 Apr 2025 00:00:00 -0400".
  std::string pub_date_raw;
  // "2025-04-08": the date as written in pub_date_raw (no time-zone
  // conversion, arXiv stamps announcements at 00:00 New York time); empty
  // when the channel has no parsable pubDate.
  std::string date;
  std::vector<std::string> skip_days;  // <skipDays><day>
  // In feed order. Paper.feed and Paper.position are left for the selection.
  std::vector<Paper> items;
  // One message per item that could not be used (no id, no title, broken
  // XML inside the item); the other items are still returned.
  std::vector<std::string> item_errors;
  // Invalid UTF-8 sequences replaced by U+FFFD in the items' text.
  int64_t invalid_utf8 = 0;
  // Set when the document as a whole was not well-formed XML (e.g. cut off
  // in transfer) and the items were recovered one by one: the pugixml error.
  // The feed is then known to be incomplete.
  std::string xml_error;
};

// Parses a whole feed document. Errors (all InvalidArgument):
//   "malformed feed XML: <pugixml description> at offset N" (nothing usable)
//   "unsupported feed format: RDF/RSS 1.0 (root element <rdf:RDF>)"
//   "unsupported feed format: root element <html>" (e.g. an error page)
// A channel without items (weekend, holiday) is not an error. A malformed
// RSS document whose channel header and at least one item can be read is
// returned with Feed::xml_error set and every readable item (see
// RecoverRssItems in rss_parser.cc). Never throws, never crashes on input.
absl::StatusOr<Feed> ParseRssFeed(std::string_view xml);

// "Tue, 08 Apr 2025 00:00:00 -0400" -> "2025-04-08" (weekday optional);
// "" when the text is not an RFC 822 date.
std::string DateFromRfc822(std::string_view text);

// ---------------------------------------------------------------------------
// Text helpers shared with the other arXiv parsers (Atom, ...).

// An arXiv identifier found in free text, split into its version-less id
// and version (lib/core/ids.h ArxivId is the validated value type).
struct ArxivIdMatch {
  std::string id;   // "2504.03650" or "math/0601001"
  int version = 0;  // 0 when the text carried no "vN" suffix
};

// Finds an arXiv id in text such as "arXiv:2504.03650v1 Announce ...",
// "oai:arXiv.org:2504.03650v1", "https://arxiv.org/abs/math/0601001v2".
// Both the 2007+ scheme (YYMM.NNNN[N]) and the old archive/YYMMNNN scheme
// are recognised. Returns an empty id when there is none.
ArxivIdMatch FindArxivId(std::string_view text);

// Normalises a title or abstract the way the reference digests print it:
// HTML tags left by feed sanitizers are removed (e.g. "<s>"), HTML entities
// decoded, every line break turned into one space (runs are NOT collapsed:
// "}}\n  In" becomes "}}   In" in the reference digest), then trimmed.
std::string CleanFeedText(std::string_view text);

// Splits a dc:creator list "A, B,  C" into trimmed names; empty names are
// dropped, anything else (LaTeX escapes like "Yama\c{c}", ":") is verbatim.
std::vector<std::string> SplitAuthors(std::string_view creators);

}  // namespace arxiv_digest
