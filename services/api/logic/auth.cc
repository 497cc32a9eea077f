#include "services/api/logic/auth.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace arxiv_digest::api {
namespace {

bool IsRole(std::string_view field) {
  return field == "reader" || field == "operator";
}

}  // namespace

absl::Status CheckTokenFileMode(std::string_view path, uint32_t mode,
                                uint32_t owner_uid) {
  // As PostgreSQL does for its key file: private to its owner, or, owned
  // by root, also readable by the group (a Kubernetes Secret volume is
  // root:fsGroup, so a non-root service can only read it through the
  // group). Nobody else may read it, and only the owner may write it.
  const uint32_t allowed = owner_uid == 0 ? 0740 : 0700;
  if ((mode & 0777 & ~allowed) == 0) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrFormat(
      "%s is readable or writable by others (mode %04o): it holds bearer "
      "tokens; run chmod 600 %s",
      std::string(path), mode & 0777, std::string(path)));
}

absl::StatusOr<TokenTable> TokenTable::Parse(std::string_view text) {
  TokenTable table;
  int line_no = 0;
  for (absl::string_view raw :
       absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    ++line_no;
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string> parts =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (parts.size() != 3) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tokens line ", line_no, ": expected 'token role client-name'"));
    }
    // A role where the token belongs (or the token where the role
    // belongs) would put the token into the message: say only what was
    // expected where.
    if (IsRole(parts[0])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tokens line ", line_no,
          ": the first field must be the token, then the role, then the "
          "client name ('token role client-name')"));
    }
    ApiClient client;
    client.name = parts[2];
    if (parts[1] == "reader") {
      client.role = Role::kReader;
    } else if (parts[1] == "operator") {
      client.role = Role::kOperator;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("tokens line ", line_no,
                       ": the second field must be the role, reader or "
                       "operator ('token role client-name')"));
    }
    if (parts[0].size() < kMinTokenLength &&
        parts[2].size() >= kMinTokenLength) {
      // "client role token": the client name would be the token.
      return absl::InvalidArgumentError(absl::StrCat(
          "tokens line ", line_no, ": token shorter than ", kMinTokenLength,
          " characters, or the fields are in the wrong order ('token role "
          "client-name')"));
    }
    if (parts[0].size() < kMinTokenLength) {
      return absl::InvalidArgumentError(
          absl::StrCat("tokens line ", line_no, " (client '", client.name,
                       "'): token shorter than ", kMinTokenLength,
                       " characters (e.g. openssl rand -hex 24)"));
    }
    if (!table.by_token_.emplace(parts[0], client).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("tokens line ", line_no, ": duplicate token"));
    }
  }
  return table;
}

std::optional<ApiClient> TokenTable::Find(std::string_view token) const {
  // Compare against every entry without an early exit, so the time taken
  // does not tell how much of a guessed token matched a real one.
  std::optional<ApiClient> found;
  for (const auto& [known, client] : by_token_) {
    unsigned char diff = known.size() == token.size() ? 0 : 1;
    for (size_t i = 0; i < known.size(); ++i) {
      diff |= static_cast<unsigned char>(known[i]) ^
              static_cast<unsigned char>(i < token.size() ? token[i] : 0);
    }
    if (diff == 0) found = client;
  }
  return found;
}

absl::StatusOr<ApiClient> Authorize(
    const TokenTable* table, std::optional<std::string_view> authorization,
    Access access, std::string_view method_view) {
  const std::string method(method_view);
  if (table == nullptr || table->empty()) {
    if (access == Access::kMutate) {
      return absl::PermissionDeniedError(
          absl::StrCat(method,
                       " needs an operator token, but no tokens are configured "
                       "(no tokens configured)"));
    }
    return ApiClient{kAnonymousClient, Role::kReader};
  }
  if (!authorization || authorization->empty()) {
    return absl::UnauthenticatedError(absl::StrCat(
        method, ": missing 'authorization: Bearer <token>' metadata"));
  }
  absl::string_view value(authorization->data(), authorization->size());
  if (!absl::StartsWithIgnoreCase(value, "bearer ")) {
    return absl::UnauthenticatedError(
        absl::StrCat(method, ": authorization must be 'Bearer <token>'"));
  }
  absl::string_view token = absl::StripAsciiWhitespace(value.substr(7));
  std::optional<ApiClient> client =
      table->Find(std::string_view(token.data(), token.size()));
  if (!client) {
    return absl::UnauthenticatedError(absl::StrCat(method, ": unknown token"));
  }
  if (access == Access::kMutate && client->role != Role::kOperator) {
    return absl::PermissionDeniedError(
        absl::StrCat(method, ": client '", client->name,
                     "' has role reader; operator required"));
  }
  return *client;
}

}  // namespace arxiv_digest::api
