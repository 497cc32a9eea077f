// How HttplibClient follows a redirect: where the Location points and which
// headers may go there. cpp-httplib's own redirect following copies every
// header, Authorization included, to whatever host the Location names, so
// the client follows redirects itself with these rules.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace arxiv_digest {

// scheme://host:port with the default port filled in and the host
// lower-cased: two URLs are the same origin when these are equal.
struct UrlOrigin {
  std::string scheme;
  std::string host;
  int port = 0;
  bool operator==(const UrlOrigin&) const = default;
};

absl::StatusOr<UrlOrigin> OriginOf(std::string_view url);

// The absolute URL a Location header leads to from `current_url`: absolute
// http(s) URLs, scheme-relative "//host/x", absolute paths "/x" and
// relative paths "x" (against the current path's folder). Other schemes
// (file://, ...) are refused: a redirect must never reach the local disk.
absl::StatusOr<std::string> ResolveRedirect(std::string_view current_url,
                                            std::string_view location);

// Status codes that are followed (with a Location): 301 302 303 307 308.
bool IsFollowedRedirect(int status);

// Drops every header whose name (case-insensitive) is in `sensitive`.
std::vector<std::pair<std::string, std::string>> WithoutSensitiveHeaders(
    const std::vector<std::pair<std::string, std::string>>& headers,
    const std::vector<std::string>& sensitive);

}  // namespace arxiv_digest
