// Validated value types for the identifiers every service exchanges: arXiv
// ids, dates, run ids and profile names. A value of one of these types is
// always well-formed, so code holding one does not re-check it; Parse is
// the only way in from untrusted text (Redis fields, requests, files).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace arxiv_digest {

// An arXiv identifier: new style "YYMM.NNNN" / "YYMM.NNNNN" (2007 on) or
// old style "archive[.SUBJ]/YYMMNNN" ("hep-th/9901001", "math.GT/0309136"),
// each with an optional "vN" suffix. str() is the version-less id (the key
// of papers and scores everywhere); version() is N, or 0 without a suffix.
class ArxivId {
 public:
  static absl::StatusOr<ArxivId> Parse(std::string_view value,
                                       std::string_view field = "arxiv_id");
  const std::string& str() const { return id_; }
  int version() const { return version_; }
  // str() plus "vN" when a version was given.
  std::string WithVersion() const;

  bool operator==(const ArxivId&) const = default;
  auto operator<=>(const ArxivId&) const = default;

 private:
  ArxivId(std::string id, int version)
      : id_(std::move(id)), version_(version) {}
  std::string id_;
  int version_ = 0;
};

// A calendar day "YYYY-MM-DD" that exists (2024-02-29 yes, 2025-02-29 no).
class Date {
 public:
  static absl::StatusOr<Date> Parse(std::string_view value,
                                    std::string_view field = "date");
  static Date FromCivilDay(absl::CivilDay day);
  const std::string& str() const { return text_; }
  absl::CivilDay day() const { return day_; }

  bool operator==(const Date& o) const { return day_ == o.day_; }
  std::strong_ordering operator<=>(const Date& o) const {
    return day_ < o.day_    ? std::strong_ordering::less
           : day_ == o.day_ ? std::strong_ordering::equal
                            : std::strong_ordering::greater;
  }

 private:
  Date(std::string text, absl::CivilDay day)
      : text_(std::move(text)), day_(day) {}
  std::string text_;
  absl::CivilDay day_;
};

// A run id. Producers (MakeRunId below) write "<date>-<8 hex>" (fetcher),
// "<date>-<t|r|p><8 hex>" (api triggers, rescores, profile runs) and
// "pending-t<8 hex>" (a trigger without a date); tests use short ids like
// "r1" or "run-f". The rule accepts all of them: [A-Za-z0-9._-]{1,100},
// not starting with '.' or '-' and without "..", because run ids become
// parts of Redis keys, file names and URLs.
class RunId {
 public:
  static absl::StatusOr<RunId> Parse(std::string_view value,
                                     std::string_view field = "run_id");
  const std::string& str() const { return id_; }
  // The date the id starts with ("2025-04-08-..."), if any.
  std::optional<Date> date() const;

  bool operator==(const RunId&) const = default;
  // clang-tidy 14 misreads this defaulted <=> as a literal 0 pointer.
  auto operator<=>(const RunId&) const =
      default;  // NOLINT(modernize-use-nullptr)

 private:
  explicit RunId(std::string id) : id_(std::move(id)) {}
  friend RunId MakeRunId(const std::optional<Date>&, char, uint32_t);
  std::string id_;
};

// A reader profile: [a-z0-9_-]{1,64} (folder names and key parts).
class ProfileName {
 public:
  static absl::StatusOr<ProfileName> Parse(std::string_view value,
                                           std::string_view field = "profile");
  static ProfileName Default();  // "default"
  const std::string& str() const { return name_; }

  bool operator==(const ProfileName&) const = default;
  auto operator<=>(const ProfileName&) const = default;

 private:
  explicit ProfileName(std::string name) : name_(std::move(name)) {}
  std::string name_;
};

// Which producer made a run id: the one letter before the random part.
namespace run_id_tag {
inline constexpr char kFetch = '\0';  // "<date>-<hex>", the fetcher's runs
inline constexpr char kTrigger = 't';
inline constexpr char kRescore = 'r';
inline constexpr char kProfile = 'p';
}  // namespace run_id_tag

// What the fetcher writes as a run's date (and run id prefix) when the
// feed carried none.
inline constexpr char kUnknownDate[] = "unknown-date";

// The one generator of run ids, matching today's producers exactly:
//   kFetch:            "<date>-<8 hex>", "unknown-date-<8 hex>" without date
//   kTrigger/kRescore/kProfile: "<date>-<t|r|p><8 hex>", "pending-..."
//                      without date (a trigger for today's feeds).
// Any other `tag` counts as kFetch.
RunId MakeRunId(const std::optional<Date>& date, char tag, uint32_t random);

// The same rules as predicates. In namespace ids because the scorer and
// the api still have functions of these names of their own.
namespace ids {
bool IsValidArxivId(std::string_view value);  // "vN" suffix allowed
bool IsValidDate(std::string_view value);
bool IsValidRunId(std::string_view value);
bool IsValidProfileName(std::string_view value);
}  // namespace ids

}  // namespace arxiv_digest
