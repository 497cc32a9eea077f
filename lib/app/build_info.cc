#include "lib/app/build_info.h"

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "absl/strings/str_cat.h"

// Set on this file only by lib/app/build_info.cmake; the fallbacks keep a
// build without that fragment compiling (and saying so).
#ifndef ARXIV_DIGEST_VERSION
#define ARXIV_DIGEST_VERSION "0.0.0"
#endif
#ifndef ARXIV_DIGEST_REVISION
#define ARXIV_DIGEST_REVISION "unknown"
#endif
#ifndef ARXIV_DIGEST_BUILD_TYPE
#define ARXIV_DIGEST_BUILD_TYPE "unknown"
#endif

namespace arxiv_digest {

const BuildInfo& GetBuildInfo() {
  static const BuildInfo* info = new BuildInfo{
      ARXIV_DIGEST_VERSION, ARXIV_DIGEST_REVISION, ARXIV_DIGEST_BUILD_TYPE};
  return *info;
}

std::string VersionLine(std::string_view binary) {
  const BuildInfo& info = GetBuildInfo();
  return absl::StrCat(std::string(binary), " ", info.version, " (revision ",
                      info.revision, ", ", info.build_type, ")");
}

void RegisterBuildInfo(prometheus::Registry& registry,
                       std::string_view service) {
  const BuildInfo& info = GetBuildInfo();
  prometheus::BuildGauge()
      .Name("arxiv_digest_build_info")
      .Help("Always 1; the labels say which build this process runs")
      .Register(registry)
      .Add({{"version", info.version},
            {"revision", info.revision},
            {"service", std::string(service)}})
      .Set(1);
}

}  // namespace arxiv_digest
