// What a binary is: the project version (CMake project version), the git
// revision the tree was configured from (`git describe`, captured at
// configure time by lib/app/build_info.cmake) and the build type. Printed by
// --version and exported as the gauge
// arxiv_digest_build_info{version,revision,service} 1, so dashboards and
// alerts can tell which build every replica runs.
#pragma once

#include <string>
#include <string_view>

namespace prometheus {
class Registry;
}

namespace arxiv_digest {

struct BuildInfo {
  std::string version;     // "0.13.0"; "0.0.0" when CMake had no version
  std::string revision;    // git describe, "unknown" outside a git tree
  std::string build_type;  // CMAKE_BUILD_TYPE
};

const BuildInfo& GetBuildInfo();

// "<binary> <version> (revision <revision>, <build type>)", one line.
std::string VersionLine(std::string_view binary);

// Adds arxiv_digest_build_info{version=...,revision=...,service=...} = 1.
void RegisterBuildInfo(prometheus::Registry& registry,
                       std::string_view service);

}  // namespace arxiv_digest
