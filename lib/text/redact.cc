#include "lib/text/redact.h"

#include "absl/strings/str_cat.h"

namespace arxiv_digest {

std::string RedactUrlPassword(absl::string_view url) {
  size_t start = url.find("://");
  start = start == absl::string_view::npos ? 0 : start + 3;
  size_t at = url.rfind('@');
  if (at == absl::string_view::npos || at < start) return std::string(url);
  absl::string_view userinfo = url.substr(start, at - start);
  size_t colon = userinfo.find(':');
  absl::string_view user = colon == absl::string_view::npos
                               ? absl::string_view()
                               : userinfo.substr(0, colon);
  return absl::StrCat(url.substr(0, start), user, ":***", url.substr(at));
}

}  // namespace arxiv_digest
