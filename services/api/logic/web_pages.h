// The digest web site's own pages (the digests themselves are the stored
// HTML the publisher rendered) and the Atom feed per profile. Pure; every
// text from Redis or a folder name is escaped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/text/markup_escape.h"  // XmlEscape, used by callers too
#include "services/api/logic/digest_view.h"

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

// One digest of the feed: its listing and its papers (from its JSON).
struct FeedDigest {
  DigestListing listing;
  std::vector<DigestPaperView> papers;
};

// Atom 1.0 feed with one entry per paper of `digests` (already newest
// first, at most the caller's limit), each with its readable title, authors
// and abstract as summary (TeX cleaned, tex_to_text.h), a link to arXiv and
// to the paper on the digest page; a digest without papers gets one entry
// for its day. At most kMaxFeedEntries entries. base_url has no trailing
// slash ("http://host:8080"); `updated` is used when no entry has a
// published_at.
inline constexpr int kMaxFeedEntries = 500;
std::string RenderAtomFeed(std::string_view profile, std::string_view base_url,
                           const std::vector<FeedDigest>& digests,
                           std::string_view updated);

// What the digest page links to besides itself.
struct DigestPageNav {
  std::string profile;
  std::string date;
  DayNeighbours days;                 // previous / next digest dates
  std::vector<std::string> profiles;  // every profile, for the profile list
};

// The publisher's stored page with the web site's additions: the Atom
// autodiscovery <link rel="alternate"> in its head, and under <body> links
// to all profiles, the previous and next day, the profile's dates and the
// list of profiles. A page without <head> or <body> gets only what fits.
std::string DecorateDigestPage(std::string_view html, const DigestPageNav& nav);

}  // namespace arxiv_digest::api
