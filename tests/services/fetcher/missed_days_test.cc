// Missed announcement days: which weekdays are backfilled after a daily run,
// bounded and oldest first, and how a failed day is reported.
#include "services/fetcher/logic/missed_days.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace arxiv_digest {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Date D(const std::string& text) { return *Date::Parse(text); }

std::vector<std::string> Strings(const std::vector<Date>& dates) {
  std::vector<std::string> out;
  for (const Date& d : dates) out.push_back(d.str());
  return out;
}

TEST(MissedDaysTest, WeekdaysBetweenTheLastKnownDayAndTheRun) {
  // Published Wednesday 2025-04-02; down until Tuesday 2025-04-08.
  std::vector<Date> missed =
      MissedAnnouncementDays(D("2025-04-08"), {"2025-04-02"}, {});
  EXPECT_THAT(Strings(missed),
              ElementsAre("2025-04-03", "2025-04-04", "2025-04-07"));
}

TEST(MissedDaysTest, NothingMissedOverAWeekend) {
  EXPECT_THAT(MissedAnnouncementDays(D("2025-04-07"), {"2025-04-04"}, {}),
              IsEmpty());
}

TEST(MissedDaysTest, FreshInstallBackfillsNothing) {
  EXPECT_THAT(MissedAnnouncementDays(D("2025-04-08"), {}, {}), IsEmpty());
  // A date from outside the window does not count as known history.
  EXPECT_THAT(MissedAnnouncementDays(D("2025-04-08"), {"2025-01-02"}, {}),
              IsEmpty());
}

TEST(MissedDaysTest, KnownDaysInsideTheGapAreSkipped) {
  // 04-04 has a no_announcements run (holiday) or a manual backfill.
  EXPECT_THAT(Strings(MissedAnnouncementDays(D("2025-04-08"),
                                             {"2025-04-02", "2025-04-04"}, {})),
              ElementsAre("2025-04-03", "2025-04-07"));
}

TEST(MissedDaysTest, BoundedToTheMostRecentDaysOldestFirst) {
  MissedDaysPolicy policy;
  policy.max_days = 2;
  EXPECT_THAT(
      Strings(MissedAnnouncementDays(D("2025-04-08"), {"2025-04-02"}, policy)),
      ElementsAre("2025-04-04", "2025-04-07"));
  policy.enabled = false;
  EXPECT_THAT(MissedAnnouncementDays(D("2025-04-08"), {"2025-04-02"}, policy),
              IsEmpty());
}

TEST(MissedDaysTest, LookbackWindowLimitsTheSearch) {
  MissedDaysPolicy policy;
  policy.lookback_days = 3;  // 2025-04-05 .. 2025-04-07
  EXPECT_THAT(Strings(MissedAnnouncementDays(
                  D("2025-04-08"), {"2025-04-02", "2025-04-05"}, policy)),
              ElementsAre("2025-04-07"));
}

TEST(MissedDaysTest, GarbageDatesFromRedisAreIgnored) {
  EXPECT_THAT(
      Strings(MissedAnnouncementDays(
          D("2025-04-08"), {"2025-04-02", "not-a-date", "2025-13-40"}, {})),
      ElementsAre("2025-04-03", "2025-04-04", "2025-04-07"));
}

class MemoryRunDateIndex : public RunDateIndex {
 public:
  std::set<std::string> dates;
  bool fail = false;
  absl::StatusOr<std::set<std::string>> KnownDates(const Date&,
                                                   const Date&) override {
    if (fail) return absl::UnavailableError("redis down");
    return dates;
  }
  absl::Status RecordRunDate(const Date& date) override {
    dates.insert(date.str());
    return absl::OkStatus();
  }
};

RunManifest MakeRun(const Date& date, const std::string& status) {
  RunManifest run;
  run.date = date.str();
  run.status = status;
  return run;
}

TEST(CatchUpTest, BackfillsAndRecordsUntilTheFirstFailure) {
  MemoryRunDateIndex index;
  index.dates = {"2025-04-02"};
  std::vector<std::string> asked;
  CatchUpResult result = CatchUpMissedDays(
      D("2025-04-08"), {}, index,
      [&](const Date& day) -> absl::StatusOr<RunManifest> {
        asked.push_back(day.str());
        if (day.str() == "2025-04-04") {
          return absl::UnavailableError("OAI-PMH 503");
        }
        return MakeRun(day, day.str() == "2025-04-03"
                                ? run_status::kFetched
                                : run_status::kNoAnnouncements);
      });
  EXPECT_THAT(asked, ElementsAre("2025-04-03", "2025-04-04"));
  EXPECT_EQ(result.runs.size(), 1u);
  EXPECT_THAT(result.errors, ElementsAre("2025-04-04: OAI-PMH 503"));
  // The failed day and the ones after it stay missing: the next cycle asks.
  EXPECT_THAT(index.dates, ElementsAre("2025-04-02", "2025-04-03"));
}

TEST(CatchUpTest, LockedDayIsNotRecorded) {
  MemoryRunDateIndex index;
  index.dates = {"2025-04-04"};
  CatchUpResult result = CatchUpMissedDays(
      D("2025-04-08"), {}, index,
      [&](const Date& day) { return MakeRun(day, "locked"); });
  EXPECT_EQ(result.runs.size(), 1u);
  EXPECT_THAT(index.dates, ElementsAre("2025-04-04"));
}

TEST(CatchUpTest, UnreadableIndexBackfillsNothing) {
  MemoryRunDateIndex index;
  index.fail = true;
  int calls = 0;
  CatchUpResult result =
      CatchUpMissedDays(D("2025-04-08"), {}, index, [&](const Date& day) {
        ++calls;
        return MakeRun(day, run_status::kFetched);
      });
  EXPECT_EQ(calls, 0);
  EXPECT_THAT(result.errors, ElementsAre("known dates: redis down"));
}

}  // namespace
}  // namespace arxiv_digest
