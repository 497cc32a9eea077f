// The api binary under abuse and faults (issue 12), driven with arxivctl:
// a TriggerRun flood is cut at the per-client burst; a Rescore by ids
// spanning 11 dates is refused over a 10-day cap and, under the default
// 31-day cap, becomes 11 jobs that the real scorer and publisher turn into
// 11 digests, each paper paid for once; a Redis restart under the api does
// not fail the first call after it.
#include <set>

#include "absl/strings/str_format.h"
#include "lib/core/paper.h"
#include "lib/json/json_util.h"
#include "tests/chaos/api_chaos.h"

namespace arxiv_digest::testing::chaos {
namespace {

class ApiAbuseTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (env_) env_->Report(HasFailure());
  }
  void StartEnv(ChaosOptions options = {}) {
    env_ = std::make_unique<ChaosEnv>(options);
    env_->Start();
  }

  // A fetched (published) daily run of `date` with papers `ids`.
  void SeedRun(const std::string& run_id, const std::string& date,
               const std::vector<std::string>& ids) {
    RedisClient redis = env_->Client();
    ASSERT_TRUE(redis
                    .Command({"HSET", "arxiv:run:" + run_id, "run_id", run_id,
                              "date", date, "status", "published",
                              "total_papers", "50", "scanned_papers", "20",
                              "papers_to_score", std::to_string(ids.size())})
                    .ok());
    for (size_t i = 0; i < ids.size(); ++i) {
      Paper p;
      p.arxiv_id = ids[i];
      p.title = absl::StrCat("Paper ", ids[i]);
      p.authors = {"Ada Lovelace"};
      p.abstract = "Graphs and language models.";
      p.categories = {"cs.LG"};
      p.feed = "cs.LG";
      p.announce_type = "new";
      p.position = static_cast<int64_t>(i);
      ASSERT_TRUE(
          redis
              .Command({"HSET", absl::StrCat("arxiv:run:", run_id, ":papers"),
                        ids[i], PaperToJson(p)})
              .ok());
    }
  }

  std::unique_ptr<ChaosEnv> env_;
};

TEST_F(ApiAbuseTest, TriggerRunFloodIsCutAtThePerClientBurst) {
  ASSERT_NO_FATAL_FAILURE(StartEnv());
  Subprocess* api = nullptr;
  std::optional<ApiPorts> ports = StartApi(*env_, {}, &api);
  ASSERT_TRUE(ports.has_value());
  int accepted = 0, limited = 0;
  for (int i = 0; i < 8; ++i) {
    CtlResult r = RunArxivctl(*env_, *ports, {"trigger"});
    if (r.rc == 0) {
      ++accepted;
    } else {
      ++limited;
      EXPECT_TRUE(absl::StrContains(r.err, "RESOURCE_EXHAUSTED")) << r.err;
      EXPECT_TRUE(absl::StrContains(r.err, "retry in ")) << r.err;
    }
  }
  // Default: a burst of 3, then one per minute.
  EXPECT_EQ(accepted, 3);
  EXPECT_EQ(limited, 5);
  EXPECT_EQ(env_->XLen("arxiv:triggers"), 3) << "each trigger is a re-fetch";
  RedisClient redis = env_->Client();
  auto runs = redis.Keys("arxiv:run:*-t*");
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(runs->size(), 3u);
  EXPECT_TRUE(api->Running()) << api->Describe(4000);
}

TEST_F(ApiAbuseTest, RescoreOfElevenDatesByIds) {
  ASSERT_NO_FATAL_FAILURE(StartEnv());
  std::vector<std::string> all_ids;
  std::map<std::string, std::vector<std::string>> ids_of_date;
  for (int day = 1; day <= 11; ++day) {
    const std::string date = absl::StrFormat("2025-03-%02d", day);
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
      ids.push_back(absl::StrFormat("2503.%05d", day * 10 + i));
    }
    ASSERT_NO_FATAL_FAILURE(
        SeedRun(absl::StrFormat("%s-0000a%03d", date, day), date, ids));
    all_ids.insert(all_ids.end(), ids.begin(), ids.end());
    ids_of_date[date] = ids;
  }
  const std::string id_list = absl::StrJoin(all_ids, ",");

  // Over a 10-day cap: refused, nothing queued.
  std::optional<ApiPorts> capped =
      StartApi(*env_, {"--rescore-max-days", "10"});
  ASSERT_TRUE(capped.has_value());
  CtlResult refused =
      RunArxivctl(*env_, *capped, {"rescore", "--ids", id_list});
  EXPECT_NE(refused.rc, 0);
  EXPECT_TRUE(absl::StrContains(refused.err, "span 11 days")) << refused.err;
  EXPECT_EQ(env_->XLen("arxiv:papers"), 0);

  // The default cap (31 days): one job per date, scored and published.
  ASSERT_NE(env_->StartPublisher(), nullptr);
  ASSERT_NE(env_->StartScorer("scorer-a"), nullptr);
  env_->WaitForStreamReaders(3);
  std::optional<ApiPorts> open = StartApi(*env_, {});
  ASSERT_TRUE(open.has_value());
  CtlResult accepted = RunArxivctl(*env_, *open, {"rescore", "--ids", id_list});
  ASSERT_EQ(accepted.rc, 0) << accepted.err;
  std::vector<std::string> jobs;
  for (absl::string_view line : absl::StrSplit(accepted.out, '\n')) {
    if (absl::ConsumePrefix(&line, "job: ")) {
      jobs.emplace_back(line.substr(0, line.find(' ')));
    }
  }
  ASSERT_EQ(jobs.size(), 11u) << accepted.out;

  std::set<std::string> digest_dates;
  size_t in_digests = 0;
  for (const std::string& job : jobs) {
    std::map<std::string, std::string> m;
    ASSERT_TRUE(env_->WaitUntil(
        [&] {
          m = env_->Manifest(job);
          return m["status"] == "published" || m["status"] == "failed";
        },
        seconds(60), milliseconds(50)))
        << job << " not published";
    ASSERT_EQ(m["status"], "published") << job;
    digest_dates.insert(m["date"]);
    // The digest: exactly the date's papers the stub scores over the
    // cut-offs, each once.
    std::set<std::string> want;
    for (const std::string& id : ids_of_date[m["date"]]) {
      const StubScore s = StubScoreFor(id);
      if (s.relevance >= kRelevanceCutoff && s.novelty >= kNoveltyCutoff) {
        want.insert(id);
      }
    }
    std::set<std::string> got;
    for (const DigestEntry& e :
         ParseDigestJson(ReadFileOrEmpty(m["json_path"]))) {
      EXPECT_TRUE(got.insert(e.key).second) << e.key << " twice";
    }
    EXPECT_EQ(got, want) << job << " " << m["date"];
    in_digests += got.size();
  }
  EXPECT_EQ(digest_dates.size(), 11u);
  EXPECT_GT(in_digests, 0u) << "the digests must not be trivially empty";
  std::cerr << "11-date rescore: " << in_digests << " of " << all_ids.size()
            << " papers in the digests\n";
  // Nothing lost, nothing paid twice.
  const std::map<std::string, int> counts = env_->stub().score_counts();
  EXPECT_EQ(counts.size(), all_ids.size());
  for (const std::string& id : all_ids) {
    auto it = counts.find(id);
    EXPECT_TRUE(it != counts.end() && it->second == 1) << id;
  }
  EXPECT_EQ(env_->XLen("arxiv:dead-letter"), 0);
}

TEST_F(ApiAbuseTest, FirstCallAfterARedisRestartUnderTheApiSucceeds) {
  ASSERT_NO_FATAL_FAILURE(StartEnv(ChaosOptions{.appendonly = true}));
  ASSERT_NO_FATAL_FAILURE(
      SeedRun("2025-03-03-0000b001", "2025-03-03", {"2503.00001"}));
  Subprocess* api = nullptr;
  std::optional<ApiPorts> ports = StartApi(*env_, {}, &api);
  ASSERT_TRUE(ports.has_value());
  CtlResult before =
      RunArxivctl(*env_, *ports, {"status", "2025-03-03-0000b001"});
  ASSERT_EQ(before.rc, 0) << before.err;

  env_->redis().Kill();
  ASSERT_TRUE(env_->redis().Restart().ok()) << env_->redis().Log();

  // The very first calls after the restart: a read and a write.
  CtlResult read =
      RunArxivctl(*env_, *ports, {"status", "2025-03-03-0000b001"});
  EXPECT_EQ(read.rc, 0) << read.err;
  EXPECT_TRUE(absl::StrContains(read.out, "published")) << read.out;
  CtlResult write = RunArxivctl(*env_, *ports, {"trigger"});
  EXPECT_EQ(write.rc, 0) << write.err;
  EXPECT_EQ(env_->XLen("arxiv:triggers"), 1);
  EXPECT_TRUE(api->Running()) << api->Describe(4000);
}

}  // namespace
}  // namespace arxiv_digest::testing::chaos
