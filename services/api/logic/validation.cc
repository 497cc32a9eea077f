#include "services/api/logic/validation.h"

#include <cctype>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"

namespace arxiv_digest::api {
namespace {

bool AllOf(std::string_view s, int (*pred)(int)) {
  for (char c : s) {
    if (!pred(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::optional<absl::CivilDay> ParseDay(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return {};
  int y = 0, m = 0, d = 0;
  if (!AllOf(date.substr(0, 4), isdigit) ||
      !AllOf(date.substr(5, 2), isdigit) ||
      !AllOf(date.substr(8, 2), isdigit) ||
      !absl::SimpleAtoi(absl::string_view(date.data(), 4), &y) ||
      !absl::SimpleAtoi(absl::string_view(date.data() + 5, 2), &m) ||
      !absl::SimpleAtoi(absl::string_view(date.data() + 8, 2), &d)) {
    return {};
  }
  absl::CivilDay day(y, m, d);
  // CivilDay normalises 2025-02-30 to March; a real date survives unchanged.
  if (day.year() != y || day.month() != m || day.day() != d) return {};
  return day;
}

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

bool IsVersionSuffix(std::string_view s) {
  return s.size() >= 2 && s[0] == 'v' && AllOf(s.substr(1), isdigit);
}

}  // namespace

bool IsValidDate(std::string_view date) { return ParseDay(date).has_value(); }

absl::Status ValidatePastDate(std::string_view field_view,
                              std::string_view date_view,
                              std::string_view today) {
  const std::string field(field_view), date(date_view);
  std::optional<absl::CivilDay> day = ParseDay(date);
  if (!day) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": '", date, "' is not a date (YYYY-MM-DD expected)"));
  }
  std::optional<absl::CivilDay> now = ParseDay(today);
  if (now && *day > *now) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", date, " is in the future"));
  }
  return absl::OkStatus();
}

int DaysBetween(std::string_view from, std::string_view to) {
  std::optional<absl::CivilDay> a = ParseDay(from), b = ParseDay(to);
  if (!a || !b) return 0;
  return static_cast<int>(*b - *a);
}

long long DateScore(std::string_view date) {
  std::optional<absl::CivilDay> d = ParseDay(date);
  if (!d) return 0;
  return d->year() * 10000LL + d->month() * 100 + d->day();
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

bool IsValidArxivId(std::string_view id) {
  if (id.empty() || id.size() > 40) return false;
  size_t slash = id.find('/');
  if (slash != std::string_view::npos) {
    // Old style: archive[.SUBJ]/YYMMNNN[vN]
    std::string_view archive = id.substr(0, slash);
    std::string_view rest = id.substr(slash + 1);
    if (!IsSingleCategory(archive) || rest.size() < 7) return false;
    if (!AllOf(rest.substr(0, 7), isdigit)) return false;
    return rest.size() == 7 || IsVersionSuffix(rest.substr(7));
  }
  // New style: YYMM.NNNN or YYMM.NNNNN, optional vN.
  if (id.size() < 9 || id[4] != '.' || !AllOf(id.substr(0, 4), isdigit)) {
    return false;
  }
  std::string_view tail = id.substr(5);
  size_t digits = 0;
  while (digits < tail.size() &&
         std::isdigit(static_cast<unsigned char>(tail[digits]))) {
    ++digits;
  }
  if (digits != 4 && digits != 5) return false;
  return digits == tail.size() || IsVersionSuffix(tail.substr(digits));
}

std::string StripArxivVersion(std::string_view id) {
  size_t v = id.rfind('v');
  if (v != std::string_view::npos && v > 0 && IsVersionSuffix(id.substr(v))) {
    return std::string(id.substr(0, v));
  }
  return std::string(id);
}

bool IsValidRunId(std::string_view run_id) {
  if (run_id.empty() || run_id.size() > 100) return false;
  for (char c : run_id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

}  // namespace arxiv_digest::api
