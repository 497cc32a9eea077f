#include "lib/http_transport/redirect_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "lib/core/string_view.h"

namespace arxiv_digest {
namespace {

// "http://a:1/x?q" -> scheme "http", authority "a:1", rest "/x?q".
struct UrlParts {
  std::string scheme;
  std::string authority;
  std::string rest;
};

absl::StatusOr<UrlParts> SplitParts(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an absolute URL: '", AsAbsl(url), "'"));
  }
  UrlParts parts;
  parts.scheme = absl::AsciiStrToLower(AsAbsl(url.substr(0, scheme_end)));
  if (parts.scheme != "http" && parts.scheme != "https") {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported URL scheme '", parts.scheme, "'"));
  }
  const std::string_view after = url.substr(scheme_end + 3);
  const size_t path_start = after.find_first_of("/?#");
  parts.authority = std::string(after.substr(0, path_start));
  parts.rest = path_start == std::string_view::npos
                   ? "/"
                   : std::string(after.substr(path_start));
  if (parts.authority.empty()) {
    return absl::InvalidArgumentError("URL without a host");
  }
  return parts;
}

}  // namespace

absl::StatusOr<UrlOrigin> OriginOf(std::string_view url) {
  absl::StatusOr<UrlParts> parts = SplitParts(url);
  if (!parts.ok()) return parts.status();
  UrlOrigin origin;
  origin.scheme = parts->scheme;
  std::string_view authority = parts->authority;
  // user:password@host: only the host part names the origin.
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return absl::InvalidArgumentError("URL with an unclosed '['");
    }
    host = authority.substr(0, close + 1);
    std::string_view tail = authority.substr(close + 1);
    if (!tail.empty()) {
      if (tail.front() != ':') {
        return absl::InvalidArgumentError("URL with a bad port");
      }
      port = tail.substr(1);
    }
  } else if (const size_t colon = authority.rfind(':');
             colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  origin.host = absl::AsciiStrToLower(AsAbsl(host));
  if (origin.host.empty()) {
    return absl::InvalidArgumentError("URL without a host");
  }
  if (port.empty()) {
    origin.port = origin.scheme == "https" ? 443 : 80;
  } else if (!absl::SimpleAtoi(AsAbsl(port), &origin.port) ||
             origin.port <= 0 || origin.port > 65535) {
    return absl::InvalidArgumentError("URL with a bad port");
  }
  return origin;
}

absl::StatusOr<std::string> ResolveRedirect(std::string_view current_url,
                                            std::string_view location) {
  absl::string_view loc = absl::StripAsciiWhitespace(AsAbsl(location));
  if (loc.empty()) return absl::InvalidArgumentError("empty Location");
  absl::StatusOr<UrlParts> current = SplitParts(current_url);
  if (!current.ok()) return current.status();
  std::string target;
  if (loc.find("://") != absl::string_view::npos &&
      loc.find("://") < loc.find_first_of("/?#")) {
    target = std::string(loc);
  } else if (absl::StartsWith(loc, "//")) {
    target = absl::StrCat(current->scheme, ":", loc);
  } else if (absl::StartsWith(loc, "/")) {
    target = absl::StrCat(current->scheme, "://", current->authority, loc);
  } else {
    // Relative to the current path's folder (query and fragment dropped).
    std::string path =
        current->rest.substr(0, current->rest.find_first_of("?#"));
    path = path.substr(0, path.rfind('/') + 1);
    target =
        absl::StrCat(current->scheme, "://", current->authority, path, loc);
  }
  // Validates the scheme (http/https only) and the host.
  if (absl::StatusOr<UrlOrigin> origin = OriginOf(target); !origin.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("redirect refused: ", origin.status().message()));
  }
  return target;
}

bool IsFollowedRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 ||
         status == 308;
}

std::vector<std::pair<std::string, std::string>> WithoutSensitiveHeaders(
    const std::vector<std::pair<std::string, std::string>>& headers,
    const std::vector<std::string>& sensitive) {
  std::vector<std::pair<std::string, std::string>> kept;
  for (const auto& header : headers) {
    bool drop = false;
    for (const std::string& name : sensitive) {
      drop = drop || absl::EqualsIgnoreCase(header.first, name);
    }
    if (!drop) kept.push_back(header);
  }
  return kept;
}

}  // namespace arxiv_digest
