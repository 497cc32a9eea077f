#include "services/fetcher/logic/empty_day.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace arxiv_digest {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil), valid for any year we will see.
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

std::string WeekdayOf(std::string_view date) {
  static const char* kDays[] = {"Thursday", "Friday",  "Saturday", "Sunday",
                                "Monday",   "Tuesday", "Wednesday"};
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return "";
  int y = 0, m = 0, d = 0;
  if (!absl::SimpleAtoi(absl::string_view(date.data(), 4), &y) ||
      !absl::SimpleAtoi(absl::string_view(date.data() + 5, 2), &m) ||
      !absl::SimpleAtoi(absl::string_view(date.data() + 8, 2), &d) || m < 1 ||
      m > 12 || d < 1 || d > 31) {
    return "";
  }
  int64_t days = DaysFromCivil(y, m, d);
  int64_t index = ((days % 7) + 7) % 7;  // 1970-01-01 was a Thursday
  return kDays[index];
}

std::string EmptyFeedsReason(const std::vector<FetchedFeed>& feeds) {
  std::string date;
  std::vector<std::string> skip_days;
  for (const FetchedFeed& f : feeds) {
    if (date.empty()) date = f.feed.date;
    for (const std::string& day : f.feed.skip_days) {
      if (std::find(skip_days.begin(), skip_days.end(), day) ==
          skip_days.end()) {
        skip_days.push_back(day);
      }
    }
  }
  std::string weekday = WeekdayOf(date);
  std::string when = date.empty()
                         ? ""
                         : absl::StrCat(" on ", weekday.empty() ? "" : weekday,
                                        weekday.empty() ? "" : " ", date);
  bool skipped_day =
      !weekday.empty() &&
      std::find(skip_days.begin(), skip_days.end(), weekday) != skip_days.end();
  std::string why;
  if (skipped_day) {
    why =
        absl::StrCat(" (feed skipDays: ", absl::StrJoin(skip_days, ", "), ")");
  } else {
    why = " (empty feed: holiday or announcement break)";
  }
  return absl::StrCat("no announcements", when, why);
}

std::string NothingSelectedReason(int64_t total_items,
                                  const FilteringConfig& filtering) {
  return absl::StrCat("none of the ", total_items,
                      " announced papers matched announce_type=",
                      absl::StrJoin(filtering.announce_types, ","),
                      filtering.force_primary ? " with force_primary" : "");
}

std::string AllDeliveredReason(int64_t skipped_seen) {
  return absl::StrCat("all ", skipped_seen,
                      " selected papers were already delivered by earlier "
                      "runs");
}

}  // namespace arxiv_digest
