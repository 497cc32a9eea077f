// Writing a file so that readers never see half of it.
#pragma once

#include <string>

#include "absl/status/status.h"

namespace arxiv_digest {

// Writes text to path through a temporary file and rename, creating the
// parent folders.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& text);

}  // namespace arxiv_digest
