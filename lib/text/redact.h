// Secrets out of messages. One rule for every error that quotes a URL
// (REDIS_URL, OPENAI_BASE_URL, proxies), so no module prints a password.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace arxiv_digest {

// A URL for an error message: a password in it (redis://:pw@host,
// https://user:pw@proxy) becomes "***", the rest stays so the user can see
// what was wrong. Without a scheme everything up to an '@' counts as the
// user information.
std::string RedactUrlPassword(absl::string_view url);

}  // namespace arxiv_digest
