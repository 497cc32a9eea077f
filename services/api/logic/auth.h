// Bearer-token access control: a table of tokens (one per client, each with
// a role) and the decision for one call. Pure; the gRPC layer passes the
// "authorization" metadata value in. Tokens never appear in a status
// message or a log line: clients are named by their client name only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace arxiv_digest::api {

enum class Role { kReader, kOperator };

struct ApiClient {
  std::string name;  // from the tokens file, for logs and rate limits
  Role role = Role::kReader;
};

// What a call needs: reads (Get*, List*, WatchJob, dry runs) or mutating /
// cost-incurring calls (TriggerRun, Rescore).
enum class Access { kRead, kMutate };

// Shorter tokens are refused: a guessable token is no access control.
inline constexpr size_t kMinTokenLength = 16;

// OK when a tokens file with this st_mode and owner may be used: no
// permission bits for others, and for the group only read and only when
// root owns the file (a Kubernetes Secret volume); otherwise an error
// naming `path` and the fix (chmod 600).
absl::Status CheckTokenFileMode(std::string_view path, uint32_t mode,
                                uint32_t owner_uid);

class TokenTable {
 public:
  // Lines "token role client-name"; roles reader|operator; tokens of at
  // least kMinTokenLength characters; '#' comments and blank lines
  // skipped. Errors name the line number (and the client), never the token.
  static absl::StatusOr<TokenTable> Parse(std::string_view text);

  bool empty() const { return by_token_.empty(); }
  size_t size() const { return by_token_.size(); }
  std::optional<ApiClient> Find(std::string_view token) const;

 private:
  std::map<std::string, ApiClient, std::less<>> by_token_;
};

// The anonymous caller when no tokens are configured.
inline constexpr char kAnonymousClient[] = "anonymous";

// The decision for one call. `table` null or empty = no tokens configured:
// reads are open, mutations PERMISSION_DENIED. Otherwise a missing or
// unknown token is UNAUTHENTICATED and a reader calling a mutation is
// PERMISSION_DENIED. `authorization` is the metadata value, if any.
absl::StatusOr<ApiClient> Authorize(
    const TokenTable* table, std::optional<std::string_view> authorization,
    Access access, std::string_view method);

}  // namespace arxiv_digest::api
