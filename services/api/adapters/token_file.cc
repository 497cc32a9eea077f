#include "services/api/adapters/token_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace arxiv_digest::api {

absl::StatusOr<TokenTable> LoadTokenFile(const std::string& path) {
  if (path.empty()) return TokenTable();
  std::ifstream in(path);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tokens: cannot read ", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  absl::StatusOr<TokenTable> parsed = TokenTable::Parse(text.str());
  if (!parsed.ok()) {
    return absl::Status(parsed.status().code(),
                        absl::StrCat("--tokens: ", parsed.status().message()));
  }
  return parsed;
}

}  // namespace arxiv_digest::api
