#include "lib/core/clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "lib/core/shutdown.h"
#include "tests/support/fake_clock.h"

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;

TEST(FakeClockTest, SleepForAdvancesBothTimesAndRecords) {
  const auto start =
      std::chrono::system_clock::time_point(std::chrono::seconds(1000));
  FakeClock clock(start);
  const auto mono0 = clock.Monotonic();
  clock.SleepFor(milliseconds(250));
  clock.SleepFor(milliseconds(1000));
  EXPECT_EQ(clock.Now(), start + milliseconds(1250));
  EXPECT_EQ(clock.Monotonic(), mono0 + milliseconds(1250));
  ASSERT_EQ(clock.sleeps().size(), 2u);
  EXPECT_EQ(clock.sleeps()[0], milliseconds(250));
  EXPECT_EQ(clock.sleeps()[1], milliseconds(1000));
  EXPECT_EQ(clock.total_slept(), milliseconds(1250));
}

TEST(FakeClockTest, AdvanceDoesNotRecordASleep) {
  FakeClock clock;
  const auto now0 = clock.Now();
  clock.Advance(milliseconds(5000));
  EXPECT_EQ(clock.Now(), now0 + milliseconds(5000));
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(SystemClockTest, IsOneInstanceAndSleeps) {
  Clock& a = SystemClock();
  EXPECT_EQ(&a, &SystemClock());
  const auto t0 = a.Monotonic();
  a.SleepFor(milliseconds(20));
  EXPECT_GE(a.Monotonic() - t0, milliseconds(20));
}

// Runs in a forked child (death-test machinery) because the shutdown flag
// cannot be cleared once set.
TEST(SystemClockDeathTest, SleepReturnsSoonAfterShutdownRequest) {
  EXPECT_EXIT(
      {
        RequestShutdown();
        const auto t0 = std::chrono::steady_clock::now();
        SystemClock().SleepFor(milliseconds(60000));
        const auto waited = std::chrono::steady_clock::now() - t0;
        std::exit(waited < milliseconds(1000) ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace arxiv_digest
