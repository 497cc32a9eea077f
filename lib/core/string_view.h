// Debian's Abseil has its own absl::string_view (not an alias of
// std::string_view), so absl::StrCat & co. do not take a std::string_view.
// One conversion for every module instead of a local copy in each.
#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace arxiv_digest {

inline absl::string_view AsAbsl(std::string_view s) {
  return {s.data(), s.size()};
}

}  // namespace arxiv_digest
