// Which cycle and lock the command line selects: --ids, --from/--until, or
// today's feeds (with --force passed on).
#include "services/fetcher/logic/run_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/services/fetcher/fetcher_fakes.h"
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

TEST(TodayUtcTest, FormatsTheWallClockInUtc) {
  FakeClock clock(std::chrono::system_clock::time_point(
      std::chrono::seconds(1744156799)));  // 2025-04-08T23:59:59Z
  EXPECT_EQ(TodayUtc(clock), "2025-04-08");
  clock.Advance(std::chrono::seconds(1));
  EXPECT_EQ(TodayUtc(clock), "2025-04-09");
}

}  // namespace
}  // namespace arxiv_digest
