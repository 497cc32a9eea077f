// The missed-day catch-up serves every reader profile, with no api in the
// loop: one OAI-PMH harvest of the union of the profiles' sets (the real
// hepcrawl fixtures of 2017-12-14), the default profile's run and one child
// run per other profile with exactly what its own settings select, recorded
// in real Redis (runs, papers stream, RunProfileRuns, per-profile seen keys)
// before the default run is finished.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "lib/config/profiles.h"
#include "lib/contract/run_manifest.h"
#include "lib/contract/stream_entries.h"
#include "lib/redis/keys.h"
#include "lib/redis/redis_run_writer.h"
#include "prometheus/registry.h"
#include "services/fetcher/adapters/fetcher_metrics.h"
#include "services/fetcher/adapters/profile_readers.h"
#include "services/fetcher/adapters/redis_fetch_lock.h"
#include "services/fetcher/adapters/redis_run_date_index.h"
#include "services/fetcher/adapters/redis_seen_store.h"
#include "services/fetcher/adapters/trigger_listener.h"
#include "services/fetcher/adapters/trigger_runner.h"
#include "services/fetcher/logic/backfill_cycle.h"
#include "services/fetcher/logic/empty_day.h"
#include "services/fetcher/logic/run_plan.h"
#include "tests/services/fetcher/fetcher_fakes.h"
#include "tests/services/fetcher/fetcher_test_util.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_test.h"

namespace arxiv_digest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr char kDay[] = "2017-12-14";  // a Thursday
constexpr char kFixtures[] = "tests/fixtures/arxiv/oai-pmh/hepcrawl__oai_";

// Answers each requested set with the real records harvested for it that
// day (no records for any other set).
class SetsBackfillSource : public BackfillSource {
 public:
  std::map<std::string, std::vector<OaiRecord>> by_set;
  std::vector<std::vector<std::string>> asked_sets;
  absl::StatusOr<AtomResponse> FetchIds(
      const std::vector<std::string>&) override {
    return absl::UnimplementedError("not used");
  }
  absl::StatusOr<OaiHarvest> HarvestDates(
      const std::string&, const std::string&,
      const std::vector<std::string>& sets) override {
    asked_sets.push_back(sets);
    OaiHarvest harvest;
    for (const std::string& set : sets) {
      auto it = by_set.find(set);
      if (it == by_set.end()) continue;
      harvest.records.insert(harvest.records.end(), it->second.begin(),
                             it->second.end());
      ++harvest.pages;
    }
    return harvest;
  }
};

std::vector<OaiRecord> Fixture(const std::string& archive) {
  absl::StatusOr<OaiResponse> r = ParseOaiPmh(
      testing::ReadRepoFile(kFixtures + std::string("listrecords_arXiv_") +
                            archive + "_" + kDay + ".xml"));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? r->records : std::vector<OaiRecord>{};
}

Config Profile(std::vector<std::string> categories, bool force_primary) {
  Config c;
  c.filtering.arxiv_categories = std::move(categories);
  c.filtering.announce_types = {"new", "cross", "replace", "replace-cross"};
  c.filtering.force_primary = force_primary;
  return c;
}

class ProfileCatchUpTest : public testing::RedisTest {
 protected:
  void SetUp() override {
    RedisTest::SetUp();
    if (HasFatalFailure()) return;
    source_.by_set["physics:hep-th"] = Fixture("hep-th");
    source_.by_set["physics:hep-ex"] = Fixture("hep-ex");
    // The default reader: theory. "experiment" reads hep-ex (every record
    // of that set lists it, none as primary); "strict" reads it with
    // force_primary (so selects nothing); "plasma" has no record that day.
    profiles_map_[std::string(kDefaultProfile)] = Profile({"hep-th"}, false);
    profiles_map_["experiment"] = Profile({"hep-ex"}, false);
    profiles_map_["plasma"] = Profile({"physics.plasm-ph"}, false);
    profiles_map_["strict"] = Profile({"hep-ex"}, true);
    writer_ = std::make_unique<contract::RedisRunWriter>(*redis_, clock_);
    seen_ = std::make_unique<RedisSeenStore>(*redis_, std::chrono::hours(24));
    run_dates_ = std::make_unique<RedisRunDateIndex>(*redis_);
    lock_ = std::make_unique<RedisFetchLock>(*redis_);
    readers_ = std::make_unique<ProfileReaders>(*redis_, profiles_map_,
                                                RetentionConfig{});
    backfills_ = std::make_unique<BackfillCycle>(
        profiles_map_[std::string(kDefaultProfile)], source_, *writer_, *seen_,
        &RandomRunId);
    readers_->Serve(*backfills_);
    // The system last had Wednesday: Thursday is the missed day.
    ASSERT_TRUE(run_dates_->RecordRunDate(*Date::Parse("2017-12-13")).ok());
  }

  CatchUpPlan Plan() {
    return CatchUpPlan{
        .index = run_dates_.get(), .lock = lock_.get(), .policy = {}};
  }

  // Every run finished on the runs stream, in order, with its manifest.
  std::vector<RunManifest> FinishedRuns() {
    std::vector<RunManifest> runs;
    for (const contract::StreamFields& fields : Entries(keys::RunsStream())) {
      absl::StatusOr<contract::RunEntry> entry =
          contract::DecodeRunEntry(fields);
      EXPECT_TRUE(entry.ok()) << entry.status();
      if (!entry.ok()) continue;
      absl::StatusOr<std::map<std::string, std::string>> hash =
          redis_->HGetAll(keys::Run(entry->run_id.str()));
      EXPECT_TRUE(hash.ok()) << hash.status();
      if (!hash.ok()) continue;
      absl::StatusOr<RunManifest> m = contract::DecodeManifest(*hash);
      EXPECT_TRUE(m.ok()) << m.status();
      if (m.ok()) runs.push_back(*std::move(m));
    }
    return runs;
  }

  // Papers on the papers stream, by run id.
  std::map<std::string, std::vector<Paper>> PapersByRun() {
    std::map<std::string, std::vector<Paper>> out;
    for (const contract::StreamFields& fields : Entries(keys::PapersStream())) {
      absl::StatusOr<contract::PaperEntry> entry =
          contract::DecodePaperEntry(fields);
      EXPECT_TRUE(entry.ok()) << entry.status();
      if (entry.ok()) out[entry->run_id.str()].push_back(entry->paper);
    }
    return out;
  }

  std::vector<contract::StreamFields> Entries(const std::string& stream) {
    std::vector<contract::StreamFields> out;
    absl::StatusOr<RedisReply> r =
        redis_->Command({"XRANGE", stream, "-", "+"});
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return out;
    for (const RedisReply& entry : r->elements) {
      contract::StreamFields fields;
      const std::vector<RedisReply>& kv = entry.elements.at(1).elements;
      for (size_t i = 0; i + 1 < kv.size(); i += 2) {
        fields.emplace_back(kv[i].str, kv[i + 1].str);
      }
      out.push_back(std::move(fields));
    }
    return out;
  }

  // The day's runs: the default one last (children are recorded first),
  // one child per other profile with its own selection.
  void ExpectEveryProfileServed() {
    std::vector<RunManifest> runs = FinishedRuns();
    std::vector<RunManifest> day;
    for (const RunManifest& r : runs) {
      if (r.date == kDay) day.push_back(r);
    }
    ASSERT_EQ(day.size(), 4u);
    const RunManifest& daily = day.back();
    EXPECT_EQ(daily.kind, "");
    EXPECT_EQ(daily.status, run_status::kFetched);
    EXPECT_EQ(daily.papers_to_score, 3);

    std::map<std::string, RunManifest> child;
    for (size_t i = 0; i + 1 < day.size(); ++i) {
      EXPECT_EQ(day[i].kind, contract::run_kind::kProfile);
      EXPECT_EQ(day[i].parent_run, daily.run_id);
      EXPECT_EQ(day[i].run_id.rfind(std::string(kDay) + "-p", 0), 0u)
          << day[i].run_id;
      child[day[i].profile] = day[i];
    }
    ASSERT_EQ(child.size(), 3u);
    EXPECT_EQ(child["experiment"].status, run_status::kFetched);
    EXPECT_EQ(child["experiment"].papers_to_score, 3);
    EXPECT_EQ(child["plasma"].status, run_status::kNoAnnouncements);
    EXPECT_THAT(child["plasma"].reason,
                HasSubstr("no announcements between 2017-12-14"));
    EXPECT_EQ(child["strict"].status, run_status::kNoAnnouncements);
    EXPECT_EQ(child["strict"].total_papers, 3);

    // Where the api's fan-out looks: every profile taken.
    absl::StatusOr<std::map<std::string, std::string>> index =
        redis_->HGetAll(keys::RunProfileRuns(daily.run_id));
    ASSERT_TRUE(index.ok()) << index.status();
    EXPECT_EQ(*index, (std::map<std::string, std::string>{
                          {"experiment", child["experiment"].run_id},
                          {"plasma", child["plasma"].run_id},
                          {"strict", child["strict"].run_id}}));

    // Each run holds only its own categories' papers; the child's announce
    // types come from its own entry (hep-ex is never primary here).
    std::map<std::string, std::vector<Paper>> papers = PapersByRun();
    ASSERT_EQ(papers[daily.run_id].size(), 3u);
    for (const Paper& p : papers[daily.run_id]) {
      EXPECT_THAT(p.categories, ::testing::Contains("hep-th")) << p.arxiv_id;
      EXPECT_THAT(p.categories, ::testing::Not(::testing::Contains("hep-ex")));
      EXPECT_EQ(p.feed, "hep-th");
    }
    const std::vector<Paper>& exp = papers[child["experiment"].run_id];
    ASSERT_EQ(exp.size(), 3u);
    for (const Paper& p : exp) {
      EXPECT_THAT(p.categories, ::testing::Contains("hep-ex")) << p.arxiv_id;
      EXPECT_THAT(p.categories, ::testing::Not(::testing::Contains("hep-th")));
      EXPECT_EQ(p.announce_type, "replace-cross") << p.arxiv_id;
      EXPECT_EQ(p.feed, "hep-ex");
    }
    EXPECT_EQ(papers.count(child["plasma"].run_id), 0u);
    EXPECT_EQ(papers.count(child["strict"].run_id), 0u);

    // Each reader's own memory of deliveries.
    RedisSeenStore experiment_seen(*redis_, std::chrono::hours(1),
                                   "experiment");
    absl::StatusOr<std::map<std::string, int>> delivered =
        experiment_seen.DeliveredVersions({exp[0].arxiv_id});
    ASSERT_TRUE(delivered.ok());
    EXPECT_EQ(delivered->size(), 1u);
    delivered = seen_->DeliveredVersions({exp[0].arxiv_id});
    ASSERT_TRUE(delivered.ok());
    EXPECT_TRUE(delivered->empty());
  }

  FakeClock clock_;
  SetsBackfillSource source_;
  std::map<std::string, Config> profiles_map_;
  std::unique_ptr<contract::RedisRunWriter> writer_;
  std::unique_ptr<RedisSeenStore> seen_;
  std::unique_ptr<RedisRunDateIndex> run_dates_;
  std::unique_ptr<RedisFetchLock> lock_;
  std::unique_ptr<ProfileReaders> readers_;
  std::unique_ptr<BackfillCycle> backfills_;
  const std::chrono::seconds ttl_{900};
};

// After Friday's daily run, Thursday is caught up for every profile.
TEST_F(ProfileCatchUpTest, DailyCatchUpGivesEveryProfileItsChildRun) {
  RunManifest friday;
  friday.run_id = "2017-12-15-0000000f";
  friday.date = "2017-12-15";
  friday.status = run_status::kFetched;
  CatchUpAfterDailyRun(friday, *backfills_, ttl_, Plan());

  // One harvest of the union of the profiles' sets, the default's first.
  ASSERT_EQ(source_.asked_sets.size(), 1u);
  EXPECT_THAT(
      source_.asked_sets[0],
      ElementsAre("physics:hep-th", "physics:hep-ex", "physics:physics"));
  ExpectEveryProfileServed();
  absl::StatusOr<std::set<std::string>> known = run_dates_->KnownDates(
      *Date::Parse("2017-12-01"), *Date::Parse("2017-12-15"));
  ASSERT_TRUE(known.ok());
  EXPECT_THAT(*known,
              UnorderedElementsAre("2017-12-13", "2017-12-14", "2017-12-15"));
}

// arxivctl backfill --missing: the same runs, plus the request's summary.
TEST_F(ProfileCatchUpTest, OnRequestCatchUpGivesEveryProfileItsChildRun) {
  absl::StatusOr<RunManifest> summary =
      CatchUpOnRequest("pending-t00000001", *Date::Parse("2017-12-15"),
                       *backfills_, ttl_, Plan(), *writer_);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->kind, contract::run_kind::kCatchUp);
  EXPECT_THAT(summary->reason, HasSubstr("backfilled 2017-12-14"));
  ASSERT_EQ(source_.asked_sets.size(), 1u);
  ExpectEveryProfileServed();
}

// The same day harvested again (e.g. --from/--until over it): each profile
// de-duplicates against its own deliveries, not the default reader's.
TEST_F(ProfileCatchUpTest, EachProfileDeduplicatesAgainstItsOwnDeliveries) {
  absl::StatusOr<RunManifest> first =
      backfills_->RunDates(kDay, kDay, /*force=*/false);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<RunManifest> again =
      backfills_->RunDates(kDay, kDay, /*force=*/false);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->status, run_status::kNoAnnouncements);
  EXPECT_EQ(again->skipped_seen, 3);
  absl::StatusOr<std::map<std::string, std::string>> children =
      redis_->HGetAll(keys::RunProfileRuns(again->run_id));
  ASSERT_TRUE(children.ok());
  ASSERT_EQ(children->size(), 3u);
  absl::StatusOr<std::map<std::string, std::string>> experiment =
      redis_->HGetAll(keys::Run(children->at("experiment")));
  ASSERT_TRUE(experiment.ok());
  absl::StatusOr<RunManifest> m = contract::DecodeManifest(*experiment);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->status, run_status::kNoAnnouncements);
  EXPECT_EQ(m->reason, AllDeliveredReason(3));
  EXPECT_EQ(m->skipped_seen, 3);
  EXPECT_EQ(m->papers_to_score, 0);
}

// A TriggerRun for a past day that reaches the fetcher (api fan-out down or
// not): the fetcher serves every profile itself.
TEST_F(ProfileCatchUpTest, TriggerForAPastDayServesEveryProfile) {
  TriggerListener triggers(*redis_, "f-1");
  ASSERT_TRUE(triggers.Init().ok());
  ASSERT_TRUE(redis_
                  ->XAdd(keys::TriggersStream(),
                         {{"run_id", "2017-12-14-t00000001"}, {"date", kDay}})
                  .ok());
  absl::StatusOr<std::optional<FetchTrigger>> trigger =
      triggers.Next(std::chrono::milliseconds(10));
  ASSERT_TRUE(trigger.ok() && trigger->has_value()) << trigger.status();
  testing::MapFeedSource feeds;
  testing::MemoryFeedDateStore dates;
  FetcherMetrics metrics(std::make_shared<prometheus::Registry>());
  TriggerRunner runner(profiles_map_[std::string(kDefaultProfile)], feeds,
                       source_, *writer_, *seen_, dates, *lock_, ttl_, {},
                       triggers, metrics);
  runner.set_profiles(readers_.get());
  runner.Handle(**trigger);
  EXPECT_TRUE(feeds.requested.empty());
  ASSERT_EQ(source_.asked_sets.size(), 1u);
  ExpectEveryProfileServed();
  std::vector<RunManifest> runs = FinishedRuns();
  ASSERT_FALSE(runs.empty());
  EXPECT_EQ(runs.back().run_id, "2017-12-14-t00000001");
}

}  // namespace
}  // namespace arxiv_digest
