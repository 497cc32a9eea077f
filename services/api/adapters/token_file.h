// Reading the bearer-token table from its file (--tokens / API_TOKENS_FILE).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/api/logic/auth.h"

namespace arxiv_digest::api {

// An empty path is no tokens (an empty table). A file that holds tokens
// must pass CheckTokenFileMode (auth.h). Errors start with "--tokens: " and
// never contain a token.
absl::StatusOr<TokenTable> LoadTokenFile(const std::string& path);

}  // namespace arxiv_digest::api
