#include "services/api/logic/digest_view.h"

#include "absl/strings/str_cat.h"

namespace arxiv_digest::api {

absl::StatusOr<size_t> ChooseVersion(const std::vector<VersionMeta>& versions,
                                     int requested, const std::string& profile,
                                     const std::string& date) {
  if (versions.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no digest for profile '", profile, "' on ", date));
  }
  if (requested == 0) return versions.size() - 1;
  for (size_t i = versions.size(); i-- > 0;) {
    if (versions[i].version == requested) return i;
  }
  return absl::NotFoundError(absl::StrCat(
      "version ", requested, " of the ", date, " digest of profile '", profile,
      "' does not exist (latest is ", versions.back().version, ")"));
}

}  // namespace arxiv_digest::api
