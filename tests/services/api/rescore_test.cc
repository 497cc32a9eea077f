// Rescore over real gRPC: jobs are new runs whose papers go back on
// arxiv:papers; targets by run, ids and date range; dry runs; errors and
// the per-client rate limit.
#include <gtest/gtest.h>

#include <algorithm>

#include "services/api/logic/validation.h"
#include "tests/services/api/api_test_fixture.h"

namespace arxiv_digest::api::testing {
namespace {

class RescoreTest : public ApiFixture {
 protected:
  void SetUp() override {
    api_options_.rescore_burst = 3;
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    SeedRun("2025-04-07-d1", "2025-04-07", 1, 3, "published");
    SeedRun("2025-04-08-d2", "2025-04-08", 11, 4, "published");
    // A rescore child of the 8th: never a source for ids or ranges.
    SeedRun("2025-04-08-r0", "2025-04-08", 11, 2, "published", "rescore");
  }

  grpc::Status Rescore(const v1::RescoreRequest& req, v1::RescoreResponse* resp,
                       const std::string& token = kOperatorToken) {
    return stub_->Rescore(Ctx(token).get(), req, resp);
  }

  std::vector<Paper> PapersOf(const std::string& run_id) {
    std::vector<Paper> out;
    for (const auto& [id, json] : HGetAll(keys::RunPapers(run_id))) {
      auto p = PaperFromJson(json);
      EXPECT_TRUE(p.ok());
      if (p.ok()) out.push_back(*p);
    }
    std::sort(out.begin(), out.end(), [](const Paper& a, const Paper& b) {
      return a.position < b.position;
    });
    return out;
  }
};

TEST_F(RescoreTest, ByRunCreatesNewRunAndRequeuesPapers) {
  v1::RescoreRequest req;
  req.set_run_id("2025-04-08-d2");
  req.set_profile("alice");
  req.set_topics_override("## Relevant Topics\n1. Robotics\n");
  v1::RescoreResponse resp;
  grpc::Status s = Rescore(req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.job_id(), "2025-04-08-ra0000001");
  ASSERT_EQ(resp.job_ids_size(), 1);
  EXPECT_EQ(resp.dates(0), "2025-04-08");
  EXPECT_EQ(resp.papers(), 4);
  EXPECT_FALSE(resp.dry_run());

  auto m = HGetAll(keys::Run(resp.job_id()));
  EXPECT_EQ(m["run_id"], resp.job_id());
  EXPECT_EQ(m["date"], "2025-04-08");
  EXPECT_EQ(m["status"], "fetched");
  EXPECT_EQ(m["kind"], "rescore");
  EXPECT_EQ(m["parent_run"], "2025-04-08-d2");
  EXPECT_EQ(m["profile"], "alice");
  EXPECT_EQ(m["topics_override"], "## Relevant Topics\n1. Robotics\n");
  EXPECT_EQ(m["total_papers"], "900");
  EXPECT_EQ(m["scanned_papers"], "500");
  EXPECT_EQ(m["papers_to_score"], "4");

  std::vector<Paper> papers = PapersOf(resp.job_id());
  ASSERT_EQ(papers.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(papers[i].arxiv_id, PaperId(11 + i));
    EXPECT_EQ(papers[i].position, i);
    EXPECT_EQ(papers[i].title, absl::StrCat("Paper ", 11 + i));
  }
  auto entries = Stream(keys::PapersStream());
  ASSERT_EQ(entries.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(entries[i].Field("run_id"), resp.job_id());
    EXPECT_EQ(entries[i].Field("arxiv_id"), PaperId(11 + i));
    // The contract's paper entry has no `profile` (nobody read it): the
    // run's manifest names the profile.
    EXPECT_EQ(entries[i].Field("profile"), std::nullopt);
    EXPECT_EQ(entries[i].Field("paper"),
              HGetAll(keys::RunPapers(resp.job_id()))[PaperId(11 + i)]);
  }
  auto runs = Stream(keys::RunsStream());
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].Field("run_id"), resp.job_id());
  EXPECT_EQ(runs[0].Field("status"), "fetched");

  // GetRun shows the job with its lineage.
  v1::GetRunRequest get;
  get.set_run_id(resp.job_id());
  v1::Run run;
  ASSERT_TRUE(stub_->GetRun(Ctx(kReaderToken).get(), get, &run).ok());
  EXPECT_EQ(run.kind(), "rescore");
  EXPECT_EQ(run.parent_run(), "2025-04-08-d2");
  EXPECT_EQ(run.profile(), "alice");
}

TEST_F(RescoreTest, ByIdsMakesOneJobPerDate) {
  v1::RescoreRequest req;
  req.mutable_papers()->add_arxiv_ids(PaperId(12) + "v2");  // version ignored
  req.mutable_papers()->add_arxiv_ids(PaperId(2));
  req.mutable_papers()->add_arxiv_ids(PaperId(11));
  v1::RescoreResponse resp;
  grpc::Status s = Rescore(req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(resp.job_ids_size(), 2);
  EXPECT_EQ(resp.dates(0), "2025-04-07");
  EXPECT_EQ(resp.dates(1), "2025-04-08");
  EXPECT_EQ(resp.job_id(), resp.job_ids(0));
  EXPECT_EQ(resp.papers(), 3);
  std::vector<Paper> first = PapersOf(resp.job_ids(0));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].arxiv_id, PaperId(2));
  EXPECT_EQ(first[0].position, 0);
  std::vector<Paper> second = PapersOf(resp.job_ids(1));
  ASSERT_EQ(second.size(), 2u);
  // Request order within a date.
  EXPECT_EQ(second[0].arxiv_id, PaperId(12));
  EXPECT_EQ(second[1].arxiv_id, PaperId(11));
  EXPECT_EQ(HGetAll(keys::Run(resp.job_ids(1)))["parent_run"], "2025-04-08-d2");
  EXPECT_EQ(HGetAll(keys::Run(resp.job_ids(1)))["profile"], "default");
}

TEST_F(RescoreTest, ByDateRangeUsesDailyRunsOnly) {
  v1::RescoreRequest req;
  req.mutable_dates()->set_from_date("2025-04-01");
  req.mutable_dates()->set_to_date("2025-04-08");
  v1::RescoreResponse resp;
  ASSERT_TRUE(Rescore(req, &resp).ok());
  ASSERT_EQ(resp.job_ids_size(), 2);
  EXPECT_EQ(resp.papers(), 7);
  EXPECT_EQ(PapersOf(resp.job_ids(0)).size(), 3u);
  EXPECT_EQ(PapersOf(resp.job_ids(1)).size(), 4u);

  // One day only (to_date empty = from_date).
  req.mutable_dates()->set_from_date("2025-04-07");
  req.mutable_dates()->clear_to_date();
  ASSERT_TRUE(Rescore(req, &resp).ok());
  ASSERT_EQ(resp.job_ids_size(), 1);
  EXPECT_EQ(resp.dates(0), "2025-04-07");
}

TEST_F(RescoreTest, DryRunWritesNothingAndEstimates) {
  v1::RescoreRequest req;
  req.set_run_id("2025-04-08-d2");
  req.set_dry_run(true);
  v1::RescoreResponse resp;
  // Readers may ask for an estimate.
  grpc::Status s = Rescore(req, &resp, kReaderToken);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(resp.dry_run());
  EXPECT_TRUE(resp.job_id().empty());
  EXPECT_EQ(resp.job_ids_size(), 0);
  EXPECT_EQ(resp.papers(), 4);
  int64_t bytes = 0;
  for (Paper p : PapersOf("2025-04-08-d2")) {
    p.position -= 10;  // renumbered like a real job
    bytes += static_cast<int64_t>(PaperToJson(p).size());
  }
  EXPECT_EQ(resp.estimated_prompt_tokens(), bytes / 4);
  EXPECT_TRUE(Stream(keys::PapersStream()).empty());
  EXPECT_TRUE(Stream(keys::RunsStream()).empty());
  auto keys_now = redis_->Command({"KEYS", "arxiv:run:2025-04-08-r*"});
  ASSERT_TRUE(keys_now.ok());
  for (const auto& k : keys_now->elements) {
    EXPECT_EQ(k.str.rfind("arxiv:run:2025-04-08-r0", 0), 0u) << k.str;
  }
}

TEST_F(RescoreTest, ValidationAndNotFound) {
  struct Case {
    std::function<void(v1::RescoreRequest&)> fill;
    grpc::StatusCode code;
    std::string message_part;
  };
  std::vector<Case> cases = {
      {[](auto& r) {}, grpc::StatusCode::INVALID_ARGUMENT,
       "one of papers, run_id or dates"},
      {[](auto& r) { r.mutable_papers(); }, grpc::StatusCode::INVALID_ARGUMENT,
       "empty"},
      {[](auto& r) {
         r.mutable_papers()->add_arxiv_ids("2504.00001");
         r.mutable_papers()->add_arxiv_ids("hello");
       },
       grpc::StatusCode::INVALID_ARGUMENT, "'hello'"},
      {[](auto& r) {
         r.mutable_papers()->add_arxiv_ids(PaperId(1));
         r.mutable_papers()->add_arxiv_ids("2504.99998");
         r.mutable_papers()->add_arxiv_ids("2504.99999");
       },
       grpc::StatusCode::NOT_FOUND, "2504.99998, 2504.99999"},
      {[](auto& r) { r.set_run_id("no such run"); },
       grpc::StatusCode::INVALID_ARGUMENT, "run_id"},
      {[](auto& r) { r.set_run_id("2025-01-01-missing"); },
       grpc::StatusCode::NOT_FOUND, "2025-01-01-missing"},
      {[](auto& r) {
         r.mutable_dates()->set_from_date("2025-04-08");
         r.mutable_dates()->set_to_date("2025-04-01");
       },
       grpc::StatusCode::INVALID_ARGUMENT, "after"},
      {[](auto& r) { r.mutable_dates()->set_from_date("2025-05-01"); },
       grpc::StatusCode::INVALID_ARGUMENT, "future"},
      {[](auto& r) {
         r.mutable_dates()->set_from_date("2025-01-01");
         r.mutable_dates()->set_to_date("2025-04-01");
       },
       grpc::StatusCode::INVALID_ARGUMENT, "at most 31 days"},
      {[](auto& r) { r.mutable_dates()->set_from_date("2025-03-01"); },
       grpc::StatusCode::NOT_FOUND, "no fetched papers"},
      {[](auto& r) {
         r.set_run_id("2025-04-08-d2");
         r.set_profile("nobody");
       },
       grpc::StatusCode::NOT_FOUND, "unknown profile 'nobody'"},
      {[](auto& r) {
         r.set_run_id("2025-04-08-d2");
         r.set_profile("../etc");
       },
       grpc::StatusCode::INVALID_ARGUMENT, "profile"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    v1::RescoreRequest req;
    cases[i].fill(req);
    req.set_dry_run(true);  // validation is the same; no rate limit spent
    v1::RescoreResponse resp;
    grpc::Status s = Rescore(req, &resp);
    EXPECT_EQ(s.error_code(), cases[i].code)
        << "case " << i << ": " << s.error_message();
    EXPECT_NE(s.error_message().find(cases[i].message_part), std::string::npos)
        << "case " << i << ": " << s.error_message();
  }
}

TEST_F(RescoreTest, RunWithoutPapersIsFailedPrecondition) {
  ASSERT_TRUE(redis_
                  ->HSet(keys::Run("2025-04-09-empty"),
                         {{"run_id", "2025-04-09-empty"},
                          {"date", "2025-04-09"},
                          {"status", "no_announcements"}})
                  .ok());
  v1::RescoreRequest req;
  req.set_run_id("2025-04-09-empty");
  v1::RescoreResponse resp;
  grpc::Status s = Rescore(req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("no papers"), std::string::npos);
}

TEST_F(RescoreTest, RateLimitPerClient) {
  v1::RescoreRequest req;
  req.set_run_id("2025-04-07-d1");
  v1::RescoreResponse resp;
  for (int i = 0; i < 3; ++i) {
    grpc::Status s = Rescore(req, &resp);
    ASSERT_TRUE(s.ok()) << i << ": " << s.error_message();
  }
  grpc::Status s = Rescore(req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(s.error_message().find("'ops'"), std::string::npos);
  EXPECT_EQ(s.error_message().find(kOperatorToken), std::string::npos);
  // Dry runs are free, and other clients have their own bucket.
  req.set_dry_run(true);
  EXPECT_TRUE(Rescore(req, &resp).ok());
  req.set_dry_run(false);
  EXPECT_TRUE(Rescore(req, &resp, kOtherOperatorToken).ok());
  auto limit = redis_->Command({"EXISTS", "arxiv:api-limit:ops"});
  ASSERT_TRUE(limit.ok());
  EXPECT_EQ(limit->integer, 1);
}

}  // namespace
}  // namespace arxiv_digest::api::testing
