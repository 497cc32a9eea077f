// The one Redis run writer against a real redis-server: the same keys,
// fields and stream entries as the fetcher's and the api's own writers
// (services/fetcher/adapters/redis_run_writer.cc, services/api/adapters/
// rescore_jobs.cc, run_store.cc), in the same order.
#include "lib/redis/redis_run_writer.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "lib/contract/stream_entries.h"
#include "lib/json/json_util.h"
#include "lib/redis/keys.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_test.h"

namespace arxiv_digest::contract {
namespace {

using Hash = std::map<std::string, std::string>;

Paper MakePaper(const std::string& id, int64_t position) {
  Paper p;
  p.arxiv_id = id;
  p.title = "Title " + id;
  p.authors = {"A. Author"};
  p.abstract = "Abstract.";
  p.announce_type = "new";
  p.categories = {"cs.LG"};
  p.feed = "cs.LG";
  p.position = position;
  return p;
}

class RedisRunWriterTest : public testing::RedisTest {
 protected:
  void SetUp() override {
    testing::RedisTest::SetUp();
    if (HasFatalFailure()) return;
    writer_ = std::make_unique<RedisRunWriter>(*redis_, clock_);
  }

  Hash HGetAll(const std::string& key) { return *redis_->HGetAll(key); }

  // Every entry of a stream as (field, value) lists.
  std::vector<StreamFields> Entries(const std::string& stream) {
    auto reply = redis_->Command({"XRANGE", stream, "-", "+"});
    EXPECT_TRUE(reply.ok()) << reply.status();
    std::vector<StreamFields> out;
    for (const RedisReply& e : reply->elements) {
      StreamFields fields;
      const auto& kv = e.elements.at(1).elements;
      for (size_t i = 0; i + 1 < kv.size(); i += 2) {
        fields.emplace_back(kv[i].str, kv[i + 1].str);
      }
      out.push_back(std::move(fields));
    }
    return out;
  }

  std::unique_ptr<RedisRunWriter> writer_;
  FakeClock clock_{
      std::chrono::system_clock::time_point(std::chrono::seconds(1744070400))};
};

TEST_F(RedisRunWriterTest, FetchedRunLikeTheFetchersWriter) {
  RunManifest m;
  m.run_id = "2025-04-08-0a1b2c3d";
  m.date = "2025-04-08";
  m.status = run_status::kFetching;
  m.total_papers = 10;
  m.scanned_papers = 5;
  ASSERT_TRUE(writer_->BeginRun(m).ok());
  EXPECT_EQ(HGetAll("arxiv:run:2025-04-08-0a1b2c3d"),
            (Hash{{"run_id", m.run_id},
                  {"date", "2025-04-08"},
                  {"status", "fetching"},
                  {"total_papers", "10"},
                  {"scanned_papers", "5"},
                  {"papers_to_score", "0"},
                  {"skipped_seen", "0"},
                  {"reason", ""},
                  {"created_at", "1744070400"}}));

  Paper a = MakePaper("2504.00001", 0), b = MakePaper("2504.00002", 1);
  ASSERT_TRUE(writer_->AppendPaper(m.run_id, a).ok());
  ASSERT_TRUE(writer_->AppendPaper(m.run_id, b).ok());
  EXPECT_EQ(
      HGetAll("arxiv:run:2025-04-08-0a1b2c3d:papers"),
      (Hash{{"2504.00001", PaperToJson(a)}, {"2504.00002", PaperToJson(b)}}));
  EXPECT_EQ(Entries("arxiv:papers"),
            (std::vector<StreamFields>{{{"run_id", m.run_id},
                                        {"arxiv_id", "2504.00001"},
                                        {"paper", PaperToJson(a)}},
                                       {{"run_id", m.run_id},
                                        {"arxiv_id", "2504.00002"},
                                        {"paper", PaperToJson(b)}}}));
  // Nothing announced before FinishRun: the manifest comes last.
  EXPECT_TRUE(Entries("arxiv:runs").empty());

  clock_.SetNow(clock_.Now() + std::chrono::seconds(60));
  m.status = run_status::kFetched;
  m.papers_to_score = 2;
  m.skipped_seen = 1;
  ASSERT_TRUE(writer_->FinishRun(m).ok());
  Hash manifest = HGetAll("arxiv:run:2025-04-08-0a1b2c3d");
  EXPECT_EQ(manifest["status"], "fetched");
  EXPECT_EQ(manifest["papers_to_score"], "2");
  EXPECT_EQ(manifest["skipped_seen"], "1");
  EXPECT_EQ(manifest["created_at"], "1744070400");
  EXPECT_EQ(manifest["fetched_at"], "1744070460");
  EXPECT_EQ(manifest.size(), 10u);
  EXPECT_EQ(redis_->Get("arxiv:latest-run")->value_or(""), m.run_id);
  EXPECT_EQ(Entries("arxiv:runs"),
            (std::vector<StreamFields>{
                {{"run_id", m.run_id}, {"status", "fetched"}}}));
}

TEST_F(RedisRunWriterTest, DerivedRunLikeTheApisRescoreJobs) {
  ASSERT_TRUE(redis_->Set("arxiv:latest-run", "2025-04-08-0a1b2c3d").ok());
  RunManifest m;
  m.run_id = "2025-04-08-ra0000001";
  m.date = "2025-04-08";
  m.status = run_status::kFetching;
  m.kind = "rescore";
  m.parent_run = "2025-04-08-0a1b2c3d";
  m.profile = "default";
  m.total_papers = 10;
  m.scanned_papers = 5;
  m.papers_to_score = 2;
  m.requested_at = "2025-04-08T10:00:00Z";
  m.requested_by = "ops";
  m.topics_override = "only MoE";
  ASSERT_TRUE(writer_->BeginRun(m).ok());
  Hash expected = {{"run_id", m.run_id},
                   {"date", "2025-04-08"},
                   {"status", "fetching"},
                   {"kind", "rescore"},
                   {"parent_run", "2025-04-08-0a1b2c3d"},
                   {"profile", "default"},
                   {"total_papers", "10"},
                   {"scanned_papers", "5"},
                   {"papers_to_score", "2"},
                   {"requested_at", "2025-04-08T10:00:00Z"},
                   {"requested_by", "ops"},
                   {"skipped_seen", "0"},
                   {"topics_override", "only MoE"}};
  EXPECT_EQ(HGetAll("arxiv:run:" + m.run_id), expected);

  Paper a = MakePaper("2504.00001", 0), b = MakePaper("2504.00002", 1);
  ASSERT_TRUE(writer_->AppendPapers(m.run_id, {a, b}).ok());
  EXPECT_EQ(HGetAll("arxiv:run:" + m.run_id + ":papers").size(), 2u);
  std::vector<StreamFields> papers = Entries("arxiv:papers");
  ASSERT_EQ(papers.size(), 2u);
  // No `profile` field any more: nobody read it.
  EXPECT_EQ(papers[1], (StreamFields{{"run_id", m.run_id},
                                     {"arxiv_id", "2504.00002"},
                                     {"paper", PaperToJson(b)}}));

  m.status = run_status::kFetched;
  ASSERT_TRUE(writer_->FinishRun(m).ok());
  expected["status"] = "fetched";
  EXPECT_EQ(HGetAll("arxiv:run:" + m.run_id), expected)
      << "only the status changes, no fetched_at";
  EXPECT_EQ(redis_->Get("arxiv:latest-run")->value_or(""),
            "2025-04-08-0a1b2c3d")
      << "derived runs do not move the latest run";
  EXPECT_EQ(Entries("arxiv:runs"),
            (std::vector<StreamFields>{
                {{"run_id", m.run_id}, {"status", "fetched"}}}));
}

TEST_F(RedisRunWriterTest, RequestFetchLikeTheApisRunStore) {
  RunManifest m;
  m.run_id = "2025-04-09-ta0000001";
  m.date = "2025-04-09";
  m.requested_at = "2025-04-09T08:00:00Z";
  m.requested_by = "ci";
  m.categories = {"cs.LG", "cs.CL"};
  ASSERT_TRUE(writer_->RequestFetch(m).ok());
  EXPECT_EQ(HGetAll("arxiv:run:" + m.run_id),
            (Hash{{"run_id", m.run_id},
                  {"status", "requested"},
                  {"requested_at", "2025-04-09T08:00:00Z"},
                  {"requested_by", "ci"},
                  {"categories", "cs.LG,cs.CL"},
                  {"date", "2025-04-09"}}));
  EXPECT_EQ(Entries("arxiv:triggers"),
            (std::vector<StreamFields>{{{"run_id", m.run_id},
                                        {"categories", "cs.LG,cs.CL"},
                                        {"date", "2025-04-09"}}}));

  RunManifest today;
  today.run_id = "pending-ta0000002";
  ASSERT_TRUE(writer_->RequestFetch(today).ok());
  EXPECT_EQ(
      Entries("arxiv:triggers").back(),
      (StreamFields{
          {"run_id", "pending-ta0000002"}, {"categories", ""}, {"date", ""}}));
}

TEST_F(RedisRunWriterTest, FailRunAndInvalidIds) {
  ASSERT_TRUE(writer_->FailRun("2025-04-09-ta0000001", "feed down").ok());
  EXPECT_EQ(HGetAll("arxiv:run:2025-04-09-ta0000001"),
            (Hash{{"status", "failed"}, {"error", "feed down"}}));
  // A run id that could escape its key is refused before any write.
  RunManifest m;
  m.run_id = "x:papers";
  EXPECT_EQ(writer_->BeginRun(m).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(writer_->AppendPaper("../x", MakePaper("2504.00001", 0)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(writer_->FailRun("", "e").code(),
            absl::StatusCode::kInvalidArgument);
  auto keys = redis_->Command({"KEYS", "*"});
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->elements.size(), 1u);
}

TEST(KeysTest, BuildersAndPrefix) {
  EXPECT_EQ(keys::Run("r1"), "arxiv:run:r1");
  EXPECT_EQ(keys::RunPrefilterThreshold("r1"),
            "arxiv:run:r1:prefilter-threshold");
  EXPECT_EQ(keys::RunPapersPattern(), "arxiv:run:*:papers");
  EXPECT_EQ(keys::RunPattern(), "arxiv:run:*");
  EXPECT_EQ(keys::RunIdOfPapersKey("arxiv:run:r1:papers"), "r1");
  EXPECT_EQ(keys::RunIdOfPapersKey("arxiv:run::papers"), std::nullopt);
  EXPECT_EQ(keys::RunIdOfPapersKey("arxiv:run:r1:scores"), std::nullopt);
  EXPECT_EQ(keys::DigestMetaLock("default", "2025-04-08"),
            "arxiv:digest-meta:default:2025-04-08:lock");
  EXPECT_EQ(keys::LlmLimit("gpt-4o"), "arxiv:llm-limit:gpt-4o");
  EXPECT_EQ(keys::ScoreCache("gpt-4o", "fp1"), "arxiv:score-cache:gpt-4o:fp1");

  EXPECT_FALSE(keys::SetPrefix("").ok());
  EXPECT_FALSE(keys::SetPrefix("a b:").ok());
  EXPECT_FALSE(keys::SetPrefix("x*:").ok());
  EXPECT_FALSE(keys::SetPrefix(std::string(65, 'a')).ok());
  EXPECT_EQ(keys::Prefix(), "arxiv:");
  ASSERT_TRUE(keys::SetPrefix("staging:").ok());
  EXPECT_EQ(keys::PapersStream(), "staging:papers");
  EXPECT_EQ(keys::Run("r1"), "staging:run:r1");
  EXPECT_EQ(keys::RunIdOfPapersKey("staging:run:r1:papers"), "r1");
  EXPECT_EQ(keys::RunIdOfPapersKey("arxiv:run:r1:papers"), std::nullopt);
  ASSERT_TRUE(keys::SetPrefix(keys::kPrefix).ok());  // restore for others
  EXPECT_EQ(keys::PapersStream(), "arxiv:papers");
}

}  // namespace
}  // namespace arxiv_digest::contract
