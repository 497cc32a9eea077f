// Syntax checks of what API callers send that lib/core/ids.h does not
// cover: arXiv categories, dates that must not be in the future, and date
// arithmetic. Pure functions; ids, dates, run ids and profile names are
// checked with the lib's value types (ArxivId, Date, RunId, ProfileName).
#pragma once

#include <string_view>

#include "absl/status/status.h"

namespace arxiv_digest::api {

// A valid date (lib Date) that is not after `today` (YYYY-MM-DD, the
// caller's UTC day). `field` names the request field in the message.
absl::Status ValidatePastDate(std::string_view field, std::string_view date,
                              std::string_view today);

// Days from `from` to `to` (both valid dates); negative when to < from.
int DaysBetween(std::string_view from, std::string_view to);

// An arXiv category ("cs.LG", "math-ph", "cond-mat.mes-hall", "econ") or a
// '+' combination of them as the RSS feed accepts ("cs.CL+cs.LG").
bool IsValidCategory(std::string_view category);

}  // namespace arxiv_digest::api
