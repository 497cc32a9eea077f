#include "services/api/logic/validation.h"

#include <cctype>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "lib/core/ids.h"

namespace arxiv_digest::api {
namespace {

// "cs", "math-ph", "q-bio", "cond-mat": lower-case words joined by '-'.
bool IsArchive(std::string_view s) {
  if (s.empty() || s.front() == '-' || s.back() == '-') return false;
  for (char c : s) {
    if (!(std::islower(static_cast<unsigned char>(c)) || c == '-'))
      return false;
  }
  return true;
}

// "LG", "ML", "mes-hall", "GT": letters joined by '-'.
bool IsSubject(std::string_view s) {
  if (s.empty() || s.front() == '-' || s.back() == '-') return false;
  for (char c : s) {
    if (!(std::isalpha(static_cast<unsigned char>(c)) || c == '-'))
      return false;
  }
  return true;
}

bool IsSingleCategory(std::string_view c) {
  size_t dot = c.find('.');
  if (dot == std::string_view::npos) return IsArchive(c);
  return IsArchive(c.substr(0, dot)) && IsSubject(c.substr(dot + 1));
}

}  // namespace

absl::Status ValidatePastDate(std::string_view field, std::string_view date,
                              std::string_view today) {
  absl::StatusOr<Date> day = Date::Parse(date, field);
  if (!day.ok()) return day.status();
  absl::StatusOr<Date> now = Date::Parse(today);
  if (now.ok() && *day > *now) {
    return absl::InvalidArgumentError(absl::StrCat(
        std::string(field), ": ", std::string(date), " is in the future"));
  }
  return absl::OkStatus();
}

int DaysBetween(std::string_view from, std::string_view to) {
  absl::StatusOr<Date> a = Date::Parse(from), b = Date::Parse(to);
  if (!a.ok() || !b.ok()) return 0;
  return static_cast<int>(b->day() - a->day());
}

bool IsValidCategory(std::string_view category) {
  if (category.empty() || category.size() > 200) return false;
  for (absl::string_view part : absl::StrSplit(
           absl::string_view(category.data(), category.size()), '+')) {
    if (!IsSingleCategory(std::string_view(part.data(), part.size()))) {
      return false;
    }
  }
  return true;
}

}  // namespace arxiv_digest::api
