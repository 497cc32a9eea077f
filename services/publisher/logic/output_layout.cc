#include "services/publisher/logic/output_layout.h"

#include "absl/strings/str_cat.h"
#include "lib/config/profiles.h"
#include "services/publisher/logic/digest_assembly.h"

namespace arxiv_digest {

OutputFileNames DigestOutputFileNames(const std::string& layout,
                                      const std::string& profile,
                                      const std::string& date, int version,
                                      const std::string& format) {
  if (layout != kLayoutSeed) {
    return {DigestFileName(profile, date, version, format), ""};
  }
  const std::string dir = profile == kDefaultProfile ? "" : profile + "/";
  const std::string month = date.substr(0, 7);  // YYYY-MM
  return {absl::StrCat(dir, format, "/", month, "/", date, "-output.", format),
          absl::StrCat(dir, "output.", format)};
}

}  // namespace arxiv_digest
