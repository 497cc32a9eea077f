// The scheduling loop with fakes of its ports and a fake clock: --once,
// scheduled cycles with TriggerRun requests served in between, and
// --triggers-only; failures are reported and the loop goes on.
#include "services/fetcher/logic/fetch_scheduler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "tests/support/fake_clock.h"

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::ElementsAre;

class FakeLock : public FetchLock {
 public:
  bool held_elsewhere = false;
  std::vector<std::string> calls;
  absl::StatusOr<bool> TryAcquire(const std::string& name,
                                  seconds ttl) override {
    calls.push_back("acquire " + name + " " + std::to_string(ttl.count()));
    return !held_elsewhere;
  }
  absl::Status Release(const std::string& name) override {
    calls.push_back("release " + name);
    return absl::OkStatus();
  }
};

// Answers scripted reads in order, then timeouts; every read "blocks" for
// the requested time on the fake clock, as XREADGROUP BLOCK would.
class ScriptedTriggers : public TriggerSource {
 public:
  explicit ScriptedTriggers(FakeClock& clock) : clock_(clock) {}
  std::deque<absl::StatusOr<std::optional<FetchTrigger>>> script;
  int reads = 0;
  absl::StatusOr<std::optional<FetchTrigger>> Next(
      milliseconds block) override {
    ++reads;
    clock_.Advance(block);
    if (script.empty()) return std::optional<FetchTrigger>();
    auto next = script.front();
    script.pop_front();
    return next;
  }

 private:
  FakeClock& clock_;
};

FetchTrigger Trigger(const std::string& run_id) {
  FetchTrigger t;
  t.run_id = run_id;
  return t;
}

RunManifest Manifest(const std::string& run_id) {
  RunManifest m;
  m.run_id = run_id;
  m.status = "fetched";
  m.date = "2025-04-08";
  return m;
}

class FetchSchedulerTest : public ::testing::Test {
 protected:
  // A scheduler whose cycle returns `results` in turn (the last one
  // repeated), taking `cycle_time` on the fake clock.
  FetchScheduler Make(SchedulerOptions options) {
    ScheduledRun run;
    run.lock_name = "today";
    run.lock_ttl = seconds(600);
    run.body = [this]() -> absl::StatusOr<RunManifest> {
      cycle_starts.push_back(clock.Monotonic() - epoch);
      clock.Advance(cycle_time);
      size_t i = std::min(cycle_starts.size(), results.size()) - 1;
      return results[i];
    };
    SchedulerObserver observer;
    observer.on_run = [this](const absl::StatusOr<RunManifest>& r,
                             double secs) {
      observed.push_back(r.ok() ? r->status : "failed");
      durations.push_back(secs);
    };
    return FetchScheduler(
        options, run, lock, triggers,
        [this](const FetchTrigger& t) {
          handled.push_back(t.run_id);
          handled_at.push_back(clock.Monotonic() - epoch);
        },
        clock, [this] { return stop(); }, observer);
  }

  FakeClock clock;
  const std::chrono::steady_clock::time_point epoch = clock.Monotonic();
  FakeLock lock;
  ScriptedTriggers triggers{clock};
  std::vector<absl::StatusOr<RunManifest>> results = {Manifest("r1")};
  milliseconds cycle_time{5000};
  std::function<bool()> stop = [] { return false; };
  std::vector<std::chrono::steady_clock::duration> cycle_starts, handled_at;
  std::vector<std::string> handled, observed;
  std::vector<double> durations;
};

TEST_F(FetchSchedulerTest, OnceRunsUnderTheLockAndReturnsTheManifest) {
  FetchScheduler scheduler = Make(SchedulerOptions{});
  absl::StatusOr<RunManifest> run = scheduler.RunOnce();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->run_id, "r1");
  EXPECT_THAT(lock.calls, ElementsAre("acquire today 600", "release today"));
  EXPECT_THAT(observed, ElementsAre("fetched"));
  EXPECT_THAT(durations, ElementsAre(5.0));  // measured on the fake clock
  EXPECT_EQ(triggers.reads, 0);
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST_F(FetchSchedulerTest, OnceReportsAFailedRun) {
  results = {absl::UnavailableError("feed down")};
  FetchScheduler scheduler = Make(SchedulerOptions{});
  absl::StatusOr<RunManifest> run = scheduler.RunOnce();
  EXPECT_EQ(run.status().message(), "feed down");
  EXPECT_THAT(observed, ElementsAre("failed"));
  EXPECT_THAT(lock.calls, ElementsAre("acquire today 600", "release today"));
}

TEST_F(FetchSchedulerTest, OnceWithTheLockHeldElsewhereDoesNotRun) {
  lock.held_elsewhere = true;
  FetchScheduler scheduler = Make(SchedulerOptions{});
  absl::StatusOr<RunManifest> run = scheduler.RunOnce();
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->status, kStatusLocked);
  EXPECT_TRUE(cycle_starts.empty());
  EXPECT_THAT(observed, ElementsAre(kStatusLocked));
}

TEST(OnceSummaryTest, PrintsReasonOnlyWhenThereIsOne) {
  RunManifest m = Manifest("2025-04-08-ab");
  EXPECT_EQ(OnceSummary(m),
            "run_id=2025-04-08-ab\nstatus=fetched\ndate=2025-04-08\n");
  m.status = "no_announcements";
  m.reason = "feeds_not_updated";
  EXPECT_EQ(OnceSummary(m),
            "run_id=2025-04-08-ab\nstatus=no_announcements\n"
            "date=2025-04-08\nreason=feeds_not_updated\n");
}

// A cycle, then triggers served until the interval has passed since the
// cycle ended, then the next cycle.
TEST_F(FetchSchedulerTest, ScheduledServesTriggersBetweenCycles) {
  SchedulerOptions options;
  options.interval = seconds(60);
  triggers.script = {std::optional<FetchTrigger>(Trigger("t1")),
                     std::optional<FetchTrigger>(),
                     std::optional<FetchTrigger>(Trigger("t2"))};
  stop = [this] { return cycle_starts.size() >= 2; };
  Make(options).Serve();
  ASSERT_EQ(cycle_starts.size(), 2u);
  EXPECT_EQ(cycle_starts[0], seconds(0));
  // First cycle ends at 5 s; the next starts once 60 s of 1 s reads passed.
  EXPECT_EQ(cycle_starts[1], seconds(65));
  EXPECT_THAT(handled, ElementsAre("t1", "t2"));
  EXPECT_EQ(handled_at[0], seconds(6));
  EXPECT_EQ(handled_at[1], seconds(8));
  EXPECT_EQ(triggers.reads, 60);
  EXPECT_THAT(observed, ElementsAre("fetched", "fetched"));
  EXPECT_TRUE(clock.sleeps().empty());  // waiting is the blocking read
}

TEST_F(FetchSchedulerTest, ScheduledFailedRunIsReportedAndTheLoopGoesOn) {
  SchedulerOptions options;
  options.interval = seconds(10);
  results = {absl::UnavailableError("feed down"), Manifest("r2")};
  stop = [this] { return cycle_starts.size() >= 2; };
  Make(options).Serve();
  EXPECT_EQ(cycle_starts.size(), 2u);
  EXPECT_THAT(observed, ElementsAre("failed", "fetched"));
  EXPECT_THAT(lock.calls, ElementsAre("acquire today 600", "release today",
                                      "acquire today 600", "release today"));
}

TEST_F(FetchSchedulerTest, ScheduledStopEndsTheWaitBeforeTheNextCycle) {
  SchedulerOptions options;
  options.interval = seconds(3600);
  stop = [this] { return triggers.reads >= 3; };
  Make(options).Serve();
  EXPECT_EQ(cycle_starts.size(), 1u);
  EXPECT_EQ(triggers.reads, 3);
}

TEST_F(FetchSchedulerTest, ScheduledTriggerReadErrorBacksOffAndContinues) {
  SchedulerOptions options;
  options.interval = seconds(10);
  triggers.script = {absl::UnavailableError("redis down"),
                     std::optional<FetchTrigger>(Trigger("t1"))};
  stop = [this] { return cycle_starts.size() >= 2; };
  Make(options).Serve();
  EXPECT_THAT(clock.sleeps(), ElementsAre(milliseconds(1000)));
  EXPECT_THAT(handled, ElementsAre("t1"));
  // The back-off counts towards the interval: 1 s read + 1 s pause + 8 reads.
  EXPECT_EQ(triggers.reads, 9);
  EXPECT_EQ(cycle_starts[1], seconds(15));
}

TEST_F(FetchSchedulerTest, TriggersOnlyNeverRunsACycle) {
  SchedulerOptions options;
  options.triggers_only = true;
  triggers.script = {absl::UnavailableError("redis down"),
                     std::optional<FetchTrigger>(Trigger("t1")),
                     std::optional<FetchTrigger>(),
                     std::optional<FetchTrigger>(Trigger("t2"))};
  stop = [this] { return handled.size() >= 2; };
  Make(options).Serve();
  EXPECT_TRUE(cycle_starts.empty());
  EXPECT_TRUE(lock.calls.empty());  // the trigger handler takes its own lock
  EXPECT_THAT(handled, ElementsAre("t1", "t2"));
  EXPECT_THAT(clock.sleeps(), ElementsAre(milliseconds(1000)));
  EXPECT_EQ(triggers.reads, 5);  // stop is seen after the next read
}

// As before the refactoring: a triggers-only replica that sees the stop
// after a read leaves without serving what it read (it stays pending).
TEST_F(FetchSchedulerTest, TriggersOnlyStopsRightAfterTheRead) {
  SchedulerOptions options;
  options.triggers_only = true;
  triggers.script = {std::optional<FetchTrigger>(Trigger("t1"))};
  stop = [] { return true; };
  Make(options).Serve();
  EXPECT_EQ(triggers.reads, 1);
  EXPECT_TRUE(handled.empty());
}

}  // namespace
}  // namespace arxiv_digest
