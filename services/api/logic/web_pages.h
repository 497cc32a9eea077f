// The digest web site's own pages (the digests themselves are the stored
// HTML the publisher rendered) and the Atom feed per profile. Pure; every
// text from Redis or a folder name is escaped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/text/markup_escape.h"  // XmlEscape, used by callers too

namespace arxiv_digest::api {

// &, <, >, " and ' escaped: safe in XML/HTML content and quoted attributes.

// One date of a profile's index.
struct DigestListing {
  std::string date;          // YYYY-MM-DD
  int latest_version = 0;    // 1-based
  int relevant_papers = 0;   // of the latest version
  std::string published_at;  // RFC 3339 of the latest version, may be empty
  std::string run_id;
};

// "/": the profiles, each linking to /p/<name>/.
std::string RenderProfilesPage(const std::vector<std::string>& profiles);

// "/p/<profile>/": dates newest first, with links to the latest HTML, the
// JSON, the Markdown and every older version (?v=N), and the Atom feed.
std::string RenderDatesPage(std::string_view profile,
                            const std::vector<DigestListing>& digests);

// Atom 1.0 feed of `digests` (already newest first, at most the caller's
// limit). base_url has no trailing slash ("http://host:8080"); `updated` is
// used when no entry has a published_at.
std::string RenderAtomFeed(std::string_view profile, std::string_view base_url,
                           const std::vector<DigestListing>& digests,
                           std::string_view updated);

}  // namespace arxiv_digest::api
