#include "lib/core/ids.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lib/core/string_view.h"

namespace arxiv_digest {
namespace {

constexpr size_t kMaxQuoted = 60;

// "field: 'value' is not ..." with the value cut short: values come from
// untrusted input and end up in logs and API replies.
absl::Status Invalid(std::string_view field, std::string_view value,
                     std::string_view expected) {
  std::string shown(value.substr(0, kMaxQuoted));
  if (value.size() > kMaxQuoted) shown += "...";
  return absl::InvalidArgumentError(
      absl::StrCat(AsAbsl(field), ": '", shown, "' is not ", AsAbsl(expected)));
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "vN" with N >= 1; returns N, or nullopt.
std::optional<int> ParseVersion(std::string_view s) {
  if (s.size() < 2 || s.size() > 7 || s[0] != 'v' || !AllDigits(s.substr(1))) {
    return std::nullopt;
  }
  int v = 0;
  if (!absl::SimpleAtoi(AsAbsl(s.substr(1)), &v) || v < 1) return std::nullopt;
  return v;
}

// "hep-th", "math", "cond-mat": lower-case letters joined by '-'.
bool IsArchive(std::string_view s) {
  if (s.empty() || s.front() == '-' || s.back() == '-') return false;
  for (char c : s) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
  }
  return true;
}

// Splits off a trailing "vN"; `version` is 0 without one. False when the
// tail looks like a version but is malformed ("v", "v0", "vx").
bool SplitVersion(std::string_view id, std::string_view& base, int& version) {
  base = id;
  version = 0;
  size_t v = id.rfind('v');
  if (v == std::string_view::npos) return true;
  std::string_view tail = id.substr(v);
  // An old-style archive may contain 'v' only before the '/'.
  size_t slash = id.find('/');
  if (slash != std::string_view::npos && v < slash) return true;
  std::optional<int> n = ParseVersion(tail);
  if (!n) return false;
  base = id.substr(0, v);
  version = *n;
  return true;
}

bool IsVersionlessArxivId(std::string_view id) {
  // New style (2007 on): YYMM.NNNN or YYMM.NNNNN.
  if ((id.size() == 9 || id.size() == 10) && id[4] == '.' &&
      AllDigits(id.substr(0, 4)) && AllDigits(id.substr(5))) {
    return true;
  }
  // Old style: archive[.SUBJ]/YYMMNNN, SUBJ two upper-case letters.
  size_t slash = id.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  std::string_view number = id.substr(slash + 1);
  if (number.size() != 7 || !AllDigits(number)) return false;
  std::string_view archive = id.substr(0, slash);
  size_t dot = archive.find('.');
  if (dot != std::string_view::npos) {
    std::string_view subject = archive.substr(dot + 1);
    if (subject.size() != 2 ||
        !absl::ascii_isupper(static_cast<unsigned char>(subject[0])) ||
        !absl::ascii_isupper(static_cast<unsigned char>(subject[1]))) {
      return false;
    }
    archive = archive.substr(0, dot);
  }
  return IsArchive(archive);
}

std::optional<absl::CivilDay> ParseDay(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' ||
      !AllDigits(s.substr(0, 4)) || !AllDigits(s.substr(5, 2)) ||
      !AllDigits(s.substr(8, 2))) {
    return std::nullopt;
  }
  int y = 0, m = 0, d = 0;
  if (!absl::SimpleAtoi(AsAbsl(s.substr(0, 4)), &y) ||
      !absl::SimpleAtoi(AsAbsl(s.substr(5, 2)), &m) ||
      !absl::SimpleAtoi(AsAbsl(s.substr(8, 2)), &d)) {
    return std::nullopt;
  }
  absl::CivilDay day(y, m, d);
  // CivilDay normalises 2025-02-30 to March; a real day survives unchanged.
  if (day.year() != y || day.month() != m || day.day() != d) {
    return std::nullopt;
  }
  return day;
}

}  // namespace

absl::StatusOr<ArxivId> ArxivId::Parse(std::string_view value,
                                       std::string_view field) {
  std::string_view base;
  int version = 0;
  if (value.size() > 40 || !SplitVersion(value, base, version) ||
      !IsVersionlessArxivId(base)) {
    return Invalid(field, value,
                   "an arXiv id (YYMM.NNNNN or archive/YYMMNNN, optional vN)");
  }
  return ArxivId(std::string(base), version);
}

std::string ArxivId::WithVersion() const {
  return version_ == 0 ? id_ : absl::StrCat(id_, "v", version_);
}

absl::StatusOr<Date> Date::Parse(std::string_view value,
                                 std::string_view field) {
  std::optional<absl::CivilDay> day = ParseDay(value);
  if (!day) return Invalid(field, value, "a date (YYYY-MM-DD, a real day)");
  return Date(std::string(value), *day);
}

Date Date::FromCivilDay(absl::CivilDay day) {
  return Date(
      absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day()),
      day);
}

absl::StatusOr<RunId> RunId::Parse(std::string_view value,
                                   std::string_view field) {
  if (!ids::IsValidRunId(value)) {
    return Invalid(field, value,
                   "a run id ([A-Za-z0-9._-], at most 100, no '..')");
  }
  return RunId(std::string(value));
}

std::optional<Date> RunId::date() const {
  if (id_.size() < 11 || id_[10] != '-') return std::nullopt;
  absl::StatusOr<Date> d = Date::Parse(std::string_view(id_).substr(0, 10));
  if (!d.ok()) return std::nullopt;
  return *d;
}

absl::StatusOr<ProfileName> ProfileName::Parse(std::string_view value,
                                               std::string_view field) {
  if (!ids::IsValidProfileName(value)) {
    return Invalid(field, value, "a profile name ([a-z0-9_-], 1 to 64)");
  }
  return ProfileName(std::string(value));
}

ProfileName ProfileName::Default() { return ProfileName("default"); }

RunId MakeRunId(const std::optional<Date>& date, char tag, uint32_t random) {
  if (tag != run_id_tag::kTrigger && tag != run_id_tag::kRescore &&
      tag != run_id_tag::kProfile) {
    // The fetcher's form (services/fetcher RandomRunId), whose manifest
    // date is "unknown-date" when the feed had none.
    return RunId(absl::StrFormat(
        "%s-%08x", date ? date->str() : std::string(kUnknownDate), random));
  }
  // The api's form (a trigger for today's feeds has no date yet).
  return RunId(absl::StrFormat(
      "%s-%c%08x", date ? date->str() : std::string("pending"), tag, random));
}

namespace ids {

bool IsValidArxivId(std::string_view value) {
  return ArxivId::Parse(value).ok();
}

bool IsValidDate(std::string_view value) { return ParseDay(value).has_value(); }

bool IsValidRunId(std::string_view value) {
  if (value.empty() || value.size() > 100) return false;
  if (value.front() == '.' || value.front() == '-') return false;
  if (value.find("..") != std::string_view::npos) return false;
  for (char c : value) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

bool IsValidProfileName(std::string_view value) {
  if (value.empty() || value.size() > 64) return false;
  for (char c : value) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace ids
}  // namespace arxiv_digest
