#include "services/fetcher/logic/missed_days.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace arxiv_digest {

bool IsAnnouncementWeekday(const Date& date) {
  absl::Weekday weekday = absl::GetWeekday(date.day());
  return weekday != absl::Weekday::saturday && weekday != absl::Weekday::sunday;
}

std::vector<Date> MissedAnnouncementDays(const Date& run_date,
                                         const std::set<std::string>& known,
                                         const MissedDaysPolicy& policy) {
  std::vector<Date> missed;
  if (!policy.enabled || policy.max_days <= 0 || policy.lookback_days <= 0) {
    return missed;
  }
  absl::CivilDay first = run_date.day() - policy.lookback_days;
  // The earliest known date inside the window: days before it were never
  // part of this installation (or are outside the window anyway).
  std::optional<absl::CivilDay> earliest;
  for (const std::string& text : known) {
    absl::StatusOr<Date> date = Date::Parse(text);
    if (!date.ok() || date->day() < first || date->day() >= run_date.day()) {
      continue;
    }
    if (!earliest || date->day() < *earliest) earliest = date->day();
  }
  if (!earliest) return missed;
  for (absl::CivilDay day = *earliest + 1; day < run_date.day(); ++day) {
    Date date = Date::FromCivilDay(day);
    if (IsAnnouncementWeekday(date) && !known.contains(date.str())) {
      missed.push_back(date);
    }
  }
  if (static_cast<int>(missed.size()) > policy.max_days) {
    missed.erase(missed.begin(), missed.end() - policy.max_days);
  }
  return missed;
}

bool RunCoversItsDate(const RunManifest& run) {
  return run.status == run_status::kFetched ||
         run.status == run_status::kNoAnnouncements;
}

CatchUpResult CatchUpMissedDays(
    const Date& run_date, const MissedDaysPolicy& policy, RunDateIndex& index,
    const std::function<absl::StatusOr<RunManifest>(const Date&)>&
        backfill_day) {
  CatchUpResult result;
  if (!policy.enabled) return result;
  absl::StatusOr<std::set<std::string>> known = index.KnownDates(
      Date::FromCivilDay(run_date.day() - policy.lookback_days), run_date);
  if (!known.ok()) {
    result.errors.push_back(
        absl::StrCat("known dates: ", known.status().message()));
    return result;
  }
  for (const Date& date : MissedAnnouncementDays(run_date, *known, policy)) {
    absl::StatusOr<RunManifest> run = backfill_day(date);
    if (!run.ok()) {
      // arXiv (or the way to it) is failing: stop here rather than spend
      // every remaining day's retries on it; the next cycle asks again.
      result.errors.push_back(
          absl::StrCat(date.str(), ": ", run.status().message()));
      break;
    }
    if (RunCoversItsDate(*run)) {
      if (absl::Status s = index.RecordRunDate(date); !s.ok()) {
        result.errors.push_back(absl::StrCat(date.str(), ": ", s.message()));
      }
    }
    result.runs.push_back(*std::move(run));
  }
  return result;
}

}  // namespace arxiv_digest
