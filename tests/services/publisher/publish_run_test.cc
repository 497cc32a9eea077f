// The publish use case with in-memory fakes of its ports: when a run is
// published, in which order things happen, and what failures leave behind.
// Real Redis and files are covered by run_publisher_test.cc.
#include "services/publisher/logic/publish_run.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "lib/json/json_util.h"
#include "tests/support/fake_clock.h"

namespace arxiv_digest {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Pair;

// Both fakes append to one log, so tests can check the order of effects.
using EventLog = std::vector<std::string>;

class FakeRuns : public RunRepository {
 public:
  explicit FakeRuns(EventLog& log) : log_(log) {}

  absl::StatusOr<RunState> LoadManifest(const std::string& run_id) override {
    auto it = runs.find(run_id);
    if (it != runs.end()) return it->second;
    RunState missing;
    missing.run_id = run_id;
    return missing;
  }
  absl::StatusOr<int64_t> CountScores(const std::string& run_id) override {
    return static_cast<int64_t>(records[run_id].scores.size());
  }
  absl::StatusOr<RunRecords> LoadRecords(const std::string& run_id) override {
    log_.push_back("load " + run_id);
    return records[run_id];
  }
  absl::Status MarkFailed(const std::string& run_id,
                          const std::string& error) override {
    runs[run_id].status = "failed";
    errors[run_id] = error;
    return absl::OkStatus();
  }
  absl::Status MarkPublished(
      const std::string& run_id,
      const std::vector<std::pair<std::string, std::string>>& fields) override {
    log_.push_back("mark-published " + run_id);
    if (!mark_published_result.ok()) return mark_published_result;
    runs[run_id].status = "published";
    published_fields[run_id] = fields;
    return absl::OkStatus();
  }
  absl::StatusOr<bool> TryLockPublish(const std::string& run_id) override {
    log_.push_back("lock " + run_id);
    return locks.insert(run_id).second;
  }
  void ReleasePublish(const std::string& run_id) override {
    log_.push_back("unlock " + run_id);
    locks.erase(run_id);
  }

  std::map<std::string, RunState> runs;
  std::map<std::string, RunRecords> records;
  std::map<std::string, std::string> errors;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>>
      published_fields;
  std::set<std::string> locks;
  absl::Status mark_published_result;

 private:
  EventLog& log_;
};

class FakeStore : public DigestStore {
 public:
  FakeStore(EventLog& log, FakeClock& clock) : log_(log), clock_(clock) {}

  absl::StatusOr<bool> TryLockVersions(const std::string& profile,
                                       const std::string& date,
                                       const std::string& owner) override {
    log_.push_back("lock-versions " + profile + " " + date);
    return version_locks.insert(profile + " " + date).second;
  }
  void ReleaseVersions(const std::string& profile,
                       const std::string& date) override {
    log_.push_back("unlock-versions " + profile + " " + date);
    version_locks.erase(profile + " " + date);
  }
  absl::StatusOr<int> NextVersion(const std::string& profile,
                                  const std::string& date) override {
    int n = 0;
    for (const AssembledDigest& d : stored) {
      n += d.digest.profile == profile && d.digest.date == date;
    }
    return n + 1;
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Store(
      const AssembledDigest& digest) override {
    log_.push_back("store v" + std::to_string(digest.digest.version));
    clock_.Advance(std::chrono::milliseconds(1500));  // writing takes time
    if (!store_result.ok()) return store_result;
    stored.push_back(digest);
    return std::vector<std::pair<std::string, std::string>>{
        {"md_path", "out/" + digest.outputs[0].file_name}};
  }

  std::vector<AssembledDigest> stored;
  std::set<std::string> version_locks;
  absl::Status store_result;

 private:
  EventLog& log_;
  FakeClock& clock_;
};

class FakeSink : public DigestSink {
 public:
  FakeSink(std::string name, absl::Status result, EventLog& log)
      : name_(std::move(name)), result_(std::move(result)), log_(log) {}
  std::string name() const override { return name_; }
  absl::Status Deliver(const PublishedDigest& digest) override {
    log_.push_back("deliver " + name_);
    delivered.push_back(digest);
    return result_;
  }
  std::vector<PublishedDigest> delivered;

 private:
  std::string name_;
  absl::Status result_;
  EventLog& log_;
};

class PublishRunTest : public ::testing::Test {
 protected:
  PublishRunTest()
      : runs_(log_),
        store_(log_, clock_),
        slack_("slack", absl::UnavailableError("slack down"), log_),
        mail_("smtp", absl::OkStatus(), log_) {
    profiles_["default"].filtering.relevance_cutoff = 5;
    profiles_["default"].filtering.novelty_cutoff = 5;
    profiles_["strict"] = profiles_["default"];
    profiles_["strict"].filtering.relevance_cutoff = 9;
    PublishObserver observer;
    observer.on_store_failed = [this] { ++store_failures_; };
    observer.on_published = [this](const AssembledDigest& d,
                                   std::chrono::duration<double> took) {
      published_.push_back(d.digest.run_id);
      durations_.push_back(took.count());
    };
    observer.on_delivery = [this](const std::string& sink,
                                  const absl::Status& s) {
      deliveries_.push_back(sink + (s.ok() ? " ok" : " failed"));
    };
    publish_ = std::make_unique<PublishRun>(
        runs_, store_, profiles_, DefaultPriceTable(),
        [this](const std::string& profile) {
          sink_profiles_.push_back(profile);
          return std::vector<DigestSink*>{&slack_, &mail_};
        },
        clock_, observer);
  }

  // A fetched run of `papers` papers of which the first `scored` have a
  // score (relevance and novelty 9 unless listed in `low`).
  void AddRun(const std::string& run_id, int papers, int scored,
              const std::string& profile = "",
              const std::string& status = "fetched") {
    RunState& run = runs_.runs[run_id];
    run.run_id = run_id;
    run.status = status;
    run.date = "2025-04-08";
    run.profile = profile;
    run.model = "gpt-4o";
    run.total_papers = 900;
    run.scanned_papers = 500;
    run.papers_to_score = papers;
    RunRecords& r = runs_.records[run_id];
    for (int i = 0; i < papers; ++i) {
      Paper p;
      p.arxiv_id = "2504.0000" + std::to_string(i);
      p.title = "Paper " + std::to_string(i);
      p.position = i;
      r.papers[p.arxiv_id] = PaperToJson(p);
      if (i < scored) AddScore(run_id, i, 9, 9);
    }
  }
  void AddScore(const std::string& run_id, int i, int relevance, int novelty,
                bool scored = true) {
    Score s;
    s.arxiv_id = "2504.0000" + std::to_string(i);
    s.relevance = relevance;
    s.novelty = novelty;
    s.scored = scored;
    runs_.records[run_id].scores[s.arxiv_id] = ScoreToJson(s);
  }
  std::string Status(const std::string& run_id) {
    return runs_.runs[run_id].status;
  }

  EventLog log_;
  FakeClock clock_;
  FakeRuns runs_;
  FakeStore store_;
  FakeSink slack_;
  FakeSink mail_;
  std::map<std::string, Config> profiles_;
  std::unique_ptr<PublishRun> publish_;
  int store_failures_ = 0;
  std::vector<std::string> published_;
  std::vector<double> durations_;
  std::vector<std::string> deliveries_;
  std::vector<std::string> sink_profiles_;
};

TEST_F(PublishRunTest, IncompleteRunWaits) {
  AddRun("r1", 3, 2);
  EXPECT_EQ(*publish_->Publish("r1"), PublishOutcome::kWaiting);
  AddRun("r2", 1, 1, "", "fetching");  // scores complete, manifest not yet
  EXPECT_EQ(*publish_->Publish("r2"), PublishOutcome::kWaiting);
  EXPECT_EQ(*publish_->Publish("no-such-run"), PublishOutcome::kWaiting);
  RunState& unknown_size = runs_.runs["r1"];
  unknown_size.papers_to_score = -1;  // field missing or unreadable
  AddScore("r1", 2, 9, 9);
  EXPECT_EQ(*publish_->Publish("r1"), PublishOutcome::kWaiting);
  EXPECT_TRUE(log_.empty()) << "no lock taken, nothing loaded";
  EXPECT_TRUE(store_.stored.empty());
  EXPECT_EQ(Status("r1"), "fetched");
}

TEST_F(PublishRunTest, RunsWithoutAnnouncementsOrFailedAreNotPublished) {
  AddRun("empty", 0, 0, "", "no_announcements");
  AddRun("bad", 1, 1, "", "failed");
  EXPECT_EQ(*publish_->Publish("empty"), PublishOutcome::kNotPublishable);
  EXPECT_EQ(*publish_->Publish("bad"), PublishOutcome::kNotPublishable);
  EXPECT_TRUE(store_.stored.empty());
  EXPECT_EQ(Status("empty"), "no_announcements");
}

TEST_F(PublishRunTest, CompleteRunIsPublishedOnceThenIdempotent) {
  AddRun("r1", 3, 3);
  ASSERT_EQ(*publish_->Publish("r1"), PublishOutcome::kPublished);
  EXPECT_EQ(Status("r1"), "published");
  ASSERT_EQ(store_.stored.size(), 1u);
  EXPECT_EQ(store_.stored[0].relevant_papers, 3);
  EXPECT_EQ(published_, std::vector<std::string>{"r1"});
  EXPECT_DOUBLE_EQ(durations_.at(0), 1.5);  // from the injected clock

  EXPECT_EQ(*publish_->Publish("r1"), PublishOutcome::kAlreadyPublished);
  EXPECT_EQ(store_.stored.size(), 1u);
  EXPECT_EQ(mail_.delivered.size(), 1u) << "delivered once";
}

TEST_F(PublishRunTest, StatusFlipsAfterStoringAndBeforeDelivery) {
  AddRun("r1", 2, 2);
  ASSERT_EQ(*publish_->Publish("r1"), PublishOutcome::kPublished);
  EXPECT_THAT(log_, ElementsAre("lock r1", "lock-versions default 2025-04-08",
                                "load r1", "store v1", "mark-published r1",
                                "unlock-versions default 2025-04-08",
                                "deliver slack", "deliver smtp"));
  // The run's lock is kept (it expires): a replica that read "fetched"
  // before the flip cannot publish the run again.
  EXPECT_TRUE(runs_.locks.count("r1"));
  EXPECT_THAT(runs_.published_fields["r1"],
              Contains(Pair("md_path", "out/2025-04-08.md")));
  EXPECT_THAT(runs_.published_fields["r1"],
              Contains(Pair("relevant_papers", "2")));
}

TEST_F(PublishRunTest, DeliveryFailureDoesNotLoseTheDigest) {
  AddRun("r1", 1, 1);
  ASSERT_EQ(*publish_->Publish("r1"), PublishOutcome::kPublished);
  EXPECT_EQ(Status("r1"), "published");
  EXPECT_EQ(store_.stored.size(), 1u);
  // The failing sink does not stop the next one.
  EXPECT_THAT(deliveries_, ElementsAre("slack failed", "smtp ok"));
  ASSERT_EQ(mail_.delivered.size(), 1u);
  EXPECT_EQ(mail_.delivered[0].run_id, "r1");
  EXPECT_NE(mail_.delivered[0].markdown.find("Paper 0"), std::string::npos);
  EXPECT_EQ(sink_profiles_, std::vector<std::string>{"default"});
}

TEST_F(PublishRunTest, StoreFailureLeavesTheRunOpenForARetry) {
  AddRun("r1", 1, 1);
  store_.store_result = absl::UnavailableError("disk full");
  EXPECT_EQ(publish_->Publish("r1").status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(Status("r1"), "fetched");
  EXPECT_EQ(store_failures_, 1);
  EXPECT_TRUE(runs_.locks.empty());
  EXPECT_TRUE(store_.version_locks.empty());
  EXPECT_TRUE(mail_.delivered.empty());

  store_.store_result = absl::OkStatus();
  EXPECT_EQ(*publish_->Publish("r1"), PublishOutcome::kPublished);
  EXPECT_EQ(Status("r1"), "published");
}

TEST_F(PublishRunTest, FailedStatusFlipReleasesTheLocks) {
  AddRun("r1", 1, 1);
  runs_.mark_published_result = absl::UnavailableError("redis down");
  EXPECT_FALSE(publish_->Publish("r1").ok());
  EXPECT_EQ(Status("r1"), "fetched");
  EXPECT_TRUE(runs_.locks.empty());
  EXPECT_TRUE(store_.version_locks.empty());
  EXPECT_TRUE(mail_.delivered.empty()) << "nothing delivered before the flip";
}

TEST_F(PublishRunTest, RepublishingADateMakesTheNextVersion) {
  AddRun("r1", 2, 2);
  AddRun("r2", 2, 2);
  AddScore("r2", 1, 1, 1);  // the rescore drops paper 1
  ASSERT_EQ(*publish_->Publish("r1"), PublishOutcome::kPublished);
  ASSERT_EQ(*publish_->Publish("r2"), PublishOutcome::kPublished);
  ASSERT_EQ(store_.stored.size(), 2u);
  EXPECT_EQ(store_.stored[0].digest.version, 1);
  EXPECT_EQ(store_.stored[1].digest.version, 2);
  EXPECT_EQ(store_.stored[1].relevant_papers, 1);
  EXPECT_THAT(runs_.published_fields["r2"],
              Contains(Pair("md_path", "out/2025-04-08.v2.md")));
  EXPECT_THAT(runs_.published_fields["r2"],
              Contains(Pair("digest_version", "2")));
}

TEST_F(PublishRunTest, UnscoredAndDeadLetteredPapersAreCounted) {
  AddRun("r1", 4, 2);
  AddScore("r1", 2, 0, 0, /*scored=*/false);  // LLM never answered
  AddScore("r1", 3, 0, 0, /*scored=*/false);  // dead-lettered entry
  ASSERT_EQ(*publish_->Publish("r1"), PublishOutcome::kPublished);
  EXPECT_THAT(runs_.published_fields["r1"],
              Contains(Pair("unscored_papers", "2")));
  EXPECT_THAT(runs_.published_fields["r1"],
              Contains(Pair("relevant_papers", "2")));
}

TEST_F(PublishRunTest, AnotherReplicaHoldingALockMeansLocked) {
  AddRun("r1", 1, 1);
  runs_.locks.insert("r1");
  EXPECT_EQ(*publish_->Publish("r1"), PublishOutcome::kLocked);
  runs_.locks.clear();
  store_.version_locks.insert("default 2025-04-08");
  EXPECT_EQ(*publish_->Publish("r1"), PublishOutcome::kLocked);
  EXPECT_TRUE(runs_.locks.empty()) << "the run's lock is given back";
  EXPECT_TRUE(store_.stored.empty());
  EXPECT_EQ(Status("r1"), "fetched");
}

TEST_F(PublishRunTest, ProfilesUseTheirOwnCutoffs) {
  AddRun("r1", 2, 1, "strict");
  AddScore("r1", 1, 8, 9);  // below strict's relevance cut-off 9
  ASSERT_EQ(*publish_->Publish("r1"), PublishOutcome::kPublished);
  EXPECT_EQ(store_.stored.at(0).digest.profile, "strict");
  EXPECT_EQ(store_.stored.at(0).relevant_papers, 1);
  EXPECT_EQ(sink_profiles_, std::vector<std::string>{"strict"});
}

TEST_F(PublishRunTest, UnknownProfileFailsTheRun) {
  AddRun("r1", 1, 1, "nobody");
  EXPECT_EQ(*publish_->Publish("r1"), PublishOutcome::kNotPublishable);
  EXPECT_EQ(Status("r1"), "failed");
  EXPECT_NE(runs_.errors["r1"].find("nobody"), std::string::npos);
  EXPECT_TRUE(log_.empty());
}

// Profile and date become folder and file names: a manifest that would
// lead outside the output folder fails the run (once, with the reason)
// before anything is locked, loaded or stored.
TEST_F(PublishRunTest, UnsafeDateOrProfileFailsTheRunWithoutWriting) {
  AddRun("dots", 1, 1);
  runs_.runs["dots"].date = "../../etc";
  AddRun("slash", 1, 1, "team/../../x");
  AddRun("nodate", 1, 1);
  runs_.runs["nodate"].date = "";
  for (const std::string run : {"dots", "slash", "nodate"}) {
    EXPECT_EQ(*publish_->Publish(run), PublishOutcome::kNotPublishable) << run;
    EXPECT_EQ(Status(run), "failed") << run;
    // Failed is final: the next attempt does not retry it.
    EXPECT_EQ(*publish_->Publish(run), PublishOutcome::kNotPublishable) << run;
  }
  EXPECT_NE(runs_.errors["dots"].find("date: '../../etc'"), std::string::npos)
      << runs_.errors["dots"];
  EXPECT_NE(runs_.errors["slash"].find("profile: 'team/../../x'"),
            std::string::npos)
      << runs_.errors["slash"];
  EXPECT_TRUE(log_.empty()) << "nothing locked, loaded or stored";
  EXPECT_TRUE(store_.stored.empty());
  EXPECT_TRUE(mail_.delivered.empty());
}

TEST_F(PublishRunTest, RunWithoutAFeedDateIsPublished) {
  AddRun("r1", 1, 1);
  runs_.runs["r1"].date = "unknown-date";  // the fetcher's "no pubDate"
  ASSERT_EQ(*publish_->Publish("r1"), PublishOutcome::kPublished);
  EXPECT_THAT(runs_.published_fields["r1"],
              Contains(Pair("md_path", "out/unknown-date.md")));
}

// A manifest the repository could not decode is failed with the decoder's
// message, unless it is already final.
TEST_F(PublishRunTest, InvalidManifestFailsTheRunUnlessFinal) {
  AddRun("r1", 1, 1);
  runs_.runs["r1"].invalid = "total_papers: 'many' is not a number";
  EXPECT_EQ(*publish_->Publish("r1"), PublishOutcome::kNotPublishable);
  EXPECT_EQ(Status("r1"), "failed");
  EXPECT_EQ(runs_.errors["r1"],
            "invalid run manifest: total_papers: 'many' is not a number");

  AddRun("done", 1, 1, "", "published");
  runs_.runs["done"].invalid = "kind: 'x' is not a run kind";
  EXPECT_EQ(*publish_->Publish("done"), PublishOutcome::kAlreadyPublished);
  EXPECT_EQ(Status("done"), "published");
  EXPECT_TRUE(store_.stored.empty());
}

TEST_F(PublishRunTest, InvalidRunIdIsAnError) {
  EXPECT_EQ(publish_->Publish("../x").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(runs_.runs.empty()) << "not even read";
}

}  // namespace
}  // namespace arxiv_digest
