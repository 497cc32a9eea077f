#include "lib/http/http_client.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace arxiv_digest {

std::string HttpResponse::Header(const std::string& name) const {
  auto it = headers.find(absl::AsciiStrToLower(name));
  return it == headers.end() ? std::string() : it->second;
}

absl::StatusOr<std::pair<std::string, std::string>> SplitUrl(
    const std::string& url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("not a URL: '", url, "'"));
  }
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported URL scheme '", scheme, "' in ", url));
  }
  size_t path_start = url.find('/', scheme_end + 3);
  if (path_start == std::string::npos) return std::make_pair(url, "/");
  return std::make_pair(url.substr(0, path_start), url.substr(path_start));
}

}  // namespace arxiv_digest
