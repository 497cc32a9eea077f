// Syntax checks of what API callers send: dates, arXiv categories and ids,
// run ids and profile names. Pure functions; the service turns a false into
// INVALID_ARGUMENT with a message naming the field.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "lib/config/profiles.h"

namespace arxiv_digest::api {

// YYYY-MM-DD naming a real calendar day.
bool IsValidDate(std::string_view date);

// A valid date that is not after `today` (YYYY-MM-DD, the caller's UTC day).
// `field` names the request field in the message.
absl::Status ValidatePastDate(std::string_view field, std::string_view date,
                              std::string_view today);

// Days from `from` to `to` (both valid dates); negative when to < from.
int DaysBetween(std::string_view from, std::string_view to);

// "YYYY-MM-DD" -> YYYYMMDD, the score of the digest date index.
long long DateScore(std::string_view date);

// An arXiv category ("cs.LG", "math-ph", "cond-mat.mes-hall", "econ") or a
// '+' combination of them as the RSS feed accepts ("cs.CL+cs.LG").
bool IsValidCategory(std::string_view category);

// New-style ids "2504.14960" / "2504.14960v2" and old-style
// "hep-th/9901001" / "math.GT/0309136v1".
bool IsValidArxivId(std::string_view id);

// The id without its "vN" suffix.
std::string StripArxivVersion(std::string_view id);

// Run ids as the fetcher and this service make them: [A-Za-z0-9._-], at
// most 100 characters (they become parts of Redis keys).
bool IsValidRunId(std::string_view run_id);

// Profile names: lib/config/profiles.h's rule, [a-z0-9_-]{1,64} (folder
// names and parts of Redis keys, so no ':' or '/').
using ::arxiv_digest::IsValidProfileName;

}  // namespace arxiv_digest::api
