// Which cycle and lock the command line selects: --ids, --from/--until, or
// today's feeds (with --force passed on).
#include "services/fetcher/logic/run_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/services/fetcher/fetcher_fakes.h"
#include "tests/services/fetcher/fetcher_test_util.h"
#include "tests/support/fake_clock.h"

namespace arxiv_digest {
namespace {

using ::testing::ElementsAre;

class RecordingBackfillSource : public BackfillSource {
 public:
  std::vector<std::string> asked_ids;
  std::string asked_from, asked_until;
  absl::StatusOr<AtomResponse> FetchIds(
      const std::vector<std::string>& ids) override {
    asked_ids = ids;
    return AtomResponse{};
  }
  absl::StatusOr<OaiHarvest> HarvestDates(
      const std::string& from, const std::string& until,
      const std::vector<std::string>&) override {
    asked_from = from;
    asked_until = until;
    return OaiHarvest{};
  }
};

std::string FixedId(const std::string& date) { return date + "-x"; }

class RunPlanTest : public ::testing::Test {
 protected:
  RunPlanTest() { config.filtering.arxiv_categories = {"cs.LG"}; }

  Config config;
  testing::MapFeedSource feeds;
  RecordingBackfillSource backfill_source;
  testing::RecordingWriter writer;
  testing::MemorySeenStore seen;
  testing::MemoryFeedDateStore dates;
  FetchCycle cycle{config, feeds, writer, seen, dates, &FixedId};
  BackfillCycle backfills{config, backfill_source, writer, seen, &FixedId};
  FakeClock clock;  // 2024-01-01T00:00:00Z
  const std::chrono::seconds ttl{900};
};

TEST_F(RunPlanTest, TodaysFeedsByDefault) {
  FetcherOptions options;
  ScheduledRun run = PlanRun(options, cycle, backfills, clock, ttl);
  EXPECT_EQ(run.lock_name, "today");
  EXPECT_EQ(run.lock_ttl, ttl);
  EXPECT_FALSE(run.body().ok());  // no feed served
  EXPECT_THAT(feeds.requested, ElementsAre("cs.LG"));
  EXPECT_THAT(feeds.conditional, ElementsAre(true));
  options.force = true;
  EXPECT_FALSE(run.body().ok());  // read when the run starts
  EXPECT_THAT(feeds.conditional, ElementsAre(true, false));
}

TEST_F(RunPlanTest, IdsRunIsDatedWhenItStarts) {
  FetcherOptions options;
  options.ids = {"2504.01234"};
  ScheduledRun run = PlanRun(options, cycle, backfills, clock, ttl);
  EXPECT_EQ(run.lock_name, "ids");
  clock.Advance(std::chrono::hours(30));
  absl::StatusOr<RunManifest> m = run.body();
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->date, "2024-01-02");
  EXPECT_THAT(backfill_source.asked_ids, ElementsAre("2504.01234"));
  EXPECT_TRUE(feeds.requested.empty());
}

TEST_F(RunPlanTest, DateRangeRun) {
  FetcherOptions options;
  options.from = "2025-04-01";
  options.until = "2025-04-03";
  ScheduledRun run = PlanRun(options, cycle, backfills, clock, ttl);
  EXPECT_EQ(run.lock_name, "2025-04-01..2025-04-03");
  absl::StatusOr<RunManifest> m = run.body();
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(backfill_source.asked_from, "2025-04-01");
  EXPECT_EQ(backfill_source.asked_until, "2025-04-03");
}

class FakeDayLock : public FetchLock {
 public:
  std::vector<std::string> taken;
  absl::StatusOr<bool> TryAcquire(const std::string& name,
                                  std::chrono::seconds) override {
    taken.push_back(name);
    return true;
  }
  absl::Status Release(const std::string&) override { return absl::OkStatus(); }
};

class SetRunDateIndex : public RunDateIndex {
 public:
  std::set<std::string> dates;
  absl::StatusOr<std::set<std::string>> KnownDates(const Date&,
                                                   const Date&) override {
    return dates;
  }
  absl::Status RecordRunDate(const Date& date) override {
    dates.insert(date.str());
    return absl::OkStatus();
  }
};

// The real feeds of Tuesday 2025-04-08 after a fetcher that last ran on
// Wednesday 2025-04-02: Thursday, Friday and Monday are fetched through
// OAI-PMH, each under its own day's lock, and every date is recorded.
TEST_F(RunPlanTest, DailyRunBackfillsTheMissedDaysBeforeIt) {
  config.filtering.arxiv_categories = testing::SampleDayCategories();
  for (const std::string& cat : testing::SampleDayCategories()) {
    feeds.feeds[cat] =
        testing::ReadRepoFile("data/sample/2025-04-08/" + cat + ".xml");
  }
  SetRunDateIndex index;
  index.dates = {"2025-04-02"};
  FakeDayLock lock;
  FetcherOptions options;
  ScheduledRun run =
      PlanRun(options, cycle, backfills, clock, ttl,
              CatchUpPlan{.index = &index, .lock = &lock, .policy = {}});
  absl::StatusOr<RunManifest> daily = run.body();
  ASSERT_TRUE(daily.ok()) << daily.status();
  EXPECT_EQ(daily->date, "2025-04-08");
  EXPECT_EQ(daily->status, run_status::kFetched);
  EXPECT_THAT(lock.taken,
              ElementsAre("2025-04-03", "2025-04-04", "2025-04-07"));
  EXPECT_EQ(backfill_source.asked_until, "2025-04-07");
  EXPECT_THAT(index.dates, ElementsAre("2025-04-02", "2025-04-03", "2025-04-04",
                                       "2025-04-07", "2025-04-08"));
  // The next day's run finds nothing missing.
  lock.taken.clear();
  CatchUpAfterDailyRun(*daily, backfills, ttl,
                       CatchUpPlan{.index = &index, .lock = &lock});
  EXPECT_TRUE(lock.taken.empty());
}

// arxivctl backfill --missing: each missed day a run of its own, and the
// request's run ends no_announcements with the list (off switch ignored).
TEST_F(RunPlanTest, CatchUpOnRequestSummarisesTheBackfilledDays) {
  SetRunDateIndex index;
  index.dates = {"2025-04-03"};
  FakeDayLock lock;
  CatchUpPlan plan{.index = &index, .lock = &lock};
  plan.policy.enabled = false;
  absl::StatusOr<RunManifest> summary =
      CatchUpOnRequest("pending-t00000001", *Date::Parse("2025-04-08"),
                       backfills, ttl, plan, writer);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_THAT(lock.taken, ElementsAre("2025-04-04", "2025-04-07"));
  EXPECT_EQ(writer.finished.run_id, "pending-t00000001");
  EXPECT_EQ(writer.finished.kind, "catch_up");
  EXPECT_EQ(writer.finished.status, run_status::kNoAnnouncements);
  EXPECT_EQ(writer.finished.reason,
            "backfilled 2025-04-04 (run 2025-04-04-x, no_announcements, 0 "
            "papers); 2025-04-07 (run 2025-04-07-x, no_announcements, 0 "
            "papers)");
  // Asked again: nothing is missing any more.
  summary = CatchUpOnRequest("pending-t00000002", *Date::Parse("2025-04-08"),
                             backfills, ttl, plan, writer);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(writer.finished.reason,
            "no missed announcement day in the 14 days before 2025-04-08");
}

TEST(TodayUtcTest, FormatsTheWallClockInUtc) {
  FakeClock clock(std::chrono::system_clock::time_point(
      std::chrono::seconds(1744156799)));  // 2025-04-08T23:59:59Z
  EXPECT_EQ(TodayUtc(clock), "2025-04-08");
  clock.Advance(std::chrono::seconds(1));
  EXPECT_EQ(TodayUtc(clock), "2025-04-09");
}

}  // namespace
}  // namespace arxiv_digest
