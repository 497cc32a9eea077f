#include "services/api/adapters/token_file.h"

#include <sys/stat.h>

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
  // A file without a token (only comments, as deploy/docker's example)
  // holds no secret, so only a file with tokens must be private.
  if (!parsed->empty()) {
    struct stat st = {};
    if (stat(path.c_str(), &st) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--tokens: cannot stat ", path));
    }
    if (absl::Status s = CheckTokenFileMode(path, st.st_mode, st.st_uid);
        !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--tokens: ", s.message()));
    }
  }
  return parsed;
}

}  // namespace arxiv_digest::api
