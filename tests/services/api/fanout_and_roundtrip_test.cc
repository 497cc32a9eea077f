// The profile fan-out (one fetch, many profiles) and a rescoring round
// trip: a Rescore with other topics goes through a stand-in scorer and
// publisher that follow the Redis contract, and yields a new digest
// version while the old one stays readable.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "lib/redis/keys.h"
#include "services/api/adapters/profile_fanout.h"
#include "tests/services/api/api_test_fixture.h"

namespace arxiv_digest::api::testing {
namespace {

class FanoutTest : public ApiFixture {
 protected:
  std::unique_ptr<ProfileFanout> MakeFanout(RedisClient& redis) {
    ProfileFanoutOptions options;
    options.block = std::chrono::milliseconds(100);
    return std::make_unique<ProfileFanout>(
        redis, [this] { return catalog_->List(); },
        [this] { return next_random_++; }, clock_, metrics_.get(), options);
  }
};

TEST_F(FanoutTest, DailyRunGetsOneChildPerProfileOnce) {
  std::filesystem::create_directories(configs_ + "/profiles/bob");
  auto fanout = MakeFanout(*redis_);
  ASSERT_TRUE(fanout->Init().ok());
  // A daily run announced after the group exists.
  SeedRun("2025-04-08-d", "2025-04-08", 1, 3, "fetched");
  ASSERT_TRUE(redis_
                  ->XAdd(keys::RunsStream(),
                         {{"run_id", "2025-04-08-d"}, {"status", "fetched"}})
                  .ok());
  std::vector<std::string> created;
  for (int i = 0; i < 5 && created.size() < 2; ++i) {
    auto r = fanout->RunOnce();
    ASSERT_TRUE(r.ok()) << r.status();
    created.insert(created.end(), r->begin(), r->end());
  }
  ASSERT_EQ(created.size(), 2u);
  auto children = HGetAll(keys::RunProfileRuns("2025-04-08-d"));
  ASSERT_EQ(children.size(), 2u);
  for (const std::string profile : {"alice", "bob"}) {
    const std::string& child = children[profile];
    auto m = HGetAll(keys::Run(child));
    EXPECT_EQ(m["kind"], "profile") << profile;
    EXPECT_EQ(m["profile"], profile);
    EXPECT_EQ(m["parent_run"], "2025-04-08-d");
    EXPECT_EQ(m["status"], "fetched");
    EXPECT_EQ(m["papers_to_score"], "3");
    EXPECT_EQ(m["requested_at"], "2025-04-10T06:00:00Z");  // the fake clock
    EXPECT_EQ(HGetAll(keys::RunPapers(child)).size(), 3u);
  }
  // The children's own "fetched" entries (kind=profile) and a replay of
  // the daily run create nothing new.
  ASSERT_TRUE(redis_
                  ->XAdd(keys::RunsStream(),
                         {{"run_id", "2025-04-08-d"}, {"status", "fetched"}})
                  .ok());
  for (int i = 0; i < 3; ++i) {
    auto r = fanout->RunOnce();
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->empty());
  }
  EXPECT_EQ(Stream(keys::PapersStream()).size(), 6u);
  auto pending =
      redis_->Command({"XPENDING", keys::RunsStream(), keys::kProfilesGroup});
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->elements[0].integer, 0);
}

TEST_F(FanoutTest, MalformedEntriesAndOtherRunsAreAckedWithoutChildren) {
  auto fanout = MakeFanout(*redis_);
  ASSERT_TRUE(fanout->Init().ok());
  SeedRun("2025-04-08-d", "2025-04-08", 1, 2, "fetched");
  // Not contract entries (bad run id, none), a run that is not fetched, a
  // rescore child, and a run without a manifest.
  SeedRun("2025-04-08-r1", "2025-04-08", 1, 2, "fetched", "rescore");
  using Fields = std::vector<std::pair<std::string, std::string>>;
  for (const Fields& fields : std::vector<Fields>{
           {{"run_id", "a:b"}, {"status", "fetched"}},
           {{"status", "fetched"}},
           {{"run_id", "2025-04-08-d"}, {"status", "no_announcements"}},
           {{"run_id", "2025-04-08-r1"}, {"status", "fetched"}},
           {{"run_id", "2025-04-09-x"}, {"status", "fetched"}}}) {
    ASSERT_TRUE(redis_->XAdd(keys::RunsStream(), fields).ok());
  }
  for (int i = 0; i < 3; ++i) {
    auto r = fanout->RunOnce();
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->empty());
  }
  EXPECT_TRUE(HGetAll(keys::RunProfileRuns("2025-04-08-d")).empty());
  EXPECT_TRUE(Stream(keys::PapersStream()).empty());
  auto pending =
      redis_->Command({"XPENDING", keys::RunsStream(), keys::kProfilesGroup});
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->elements[0].integer, 0);
}

TEST_F(FanoutTest, RescoreWithNewTopicsYieldsNewDigestVersion) {
  // Day one: the daily run and its published digest (version 1).
  SeedRun("2025-04-08-d", "2025-04-08", 1, 3, "published");
  SeedDigest("default", "2025-04-08", 1, "2025-04-08-d", 3, "topics: default");

  // A stand-in scorer + publisher: scores the job's papers from
  // arxiv:papers and publishes version n+1 of the date's digest, naming the
  // topics the job was scored with (the manifest's topics_override).
  std::atomic<bool> stop{false};
  std::thread pipeline([&] {
    auto redis = *RedisClient::Connect(redis_server_->url());
    ASSERT_TRUE(redis->EnsureGroup(keys::PapersStream(), "scorers").ok());
    std::set<std::string> touched;
    while (!stop) {
      auto entries = redis->XReadGroup("scorers", "s1", keys::PapersStream(),
                                       10, std::chrono::milliseconds(50));
      if (!entries.ok()) continue;
      for (const StreamEntry& e : *entries) {
        std::string run = *e.Field("run_id");
        redis->HSet(keys::RunScores(run), {{*e.Field("arxiv_id"), "{}"}})
            .IgnoreError();
        redis->XAck(keys::PapersStream(), "scorers", {e.id}).IgnoreError();
        touched.insert(run);
      }
      // Like the real publisher: only a "fetched" run with every score.
      for (auto it = touched.begin(); it != touched.end();) {
        const std::string run = *it;
        auto m = *redis->HGetAll(keys::Run(run));
        if (m["status"] != "fetched" || *redis->HLen(keys::RunScores(run)) <
                                            std::stoll(m["papers_to_score"])) {
          ++it;
          continue;
        }
        std::string profile = m["profile"];
        int version =
            static_cast<int>(
                redis->HGetAll(keys::DigestMeta(profile, m["date"]))->size()) +
            1;
        std::string md = "topics: " + m["topics_override"];
        redis
            ->Set(keys::DigestVersion(profile, m["date"], version, "md"),
                  PackStoredText(md))
            .IgnoreError();
        redis
            ->HSet(keys::DigestMeta(profile, m["date"]),
                   {{absl::StrCat("v", version),
                     absl::StrCat("{\"run_id\":\"", run, "\",\"version\":",
                                  version, ",\"relevant_papers\":3}")}})
            .IgnoreError();
        redis->HSet(keys::Run(run), {{"status", "published"}}).IgnoreError();
        it = touched.erase(it);
      }
    }
  });

  v1::RescoreRequest req;
  req.set_run_id("2025-04-08-d");
  req.set_topics_override("Robotics");
  v1::RescoreResponse resp;
  grpc::Status s = stub_->Rescore(Ctx(kOperatorToken).get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();

  v1::WatchJobRequest watch;
  watch.set_job_id(resp.job_id());
  auto ctx = Ctx(kReaderToken);
  auto reader = stub_->WatchJob(ctx.get(), watch);
  v1::JobProgress p, last;
  while (reader->Read(&p)) last = p;
  grpc::Status finished = reader->Finish();
  EXPECT_TRUE(finished.ok()) << finished.error_message();
  stop = true;
  pipeline.join();
  EXPECT_EQ(last.state(), "done");
  EXPECT_EQ(last.papers_done(), 3);

  v1::GetDigestRequest get;
  get.set_date("2025-04-08");
  v1::Digest latest, old;
  ASSERT_TRUE(stub_->GetDigest(Ctx(kReaderToken).get(), get, &latest).ok());
  get.set_version(1);
  ASSERT_TRUE(stub_->GetDigest(Ctx(kReaderToken).get(), get, &old).ok());
  EXPECT_EQ(latest.version(), 2);
  EXPECT_EQ(latest.run_id(), resp.job_id());
  EXPECT_EQ(latest.content(), "topics: Robotics");
  EXPECT_EQ(old.version(), 1);
  EXPECT_EQ(old.content(), "md:topics: default");
  EXPECT_NE(latest.content(), old.content());
}

}  // namespace
}  // namespace arxiv_digest::api::testing
