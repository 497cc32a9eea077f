// TriggerRun and GetRun over real gRPC against a real redis-server.
#include <gtest/gtest.h>

#include "lib/contract/paper_fate.h"
#include "tests/services/api/api_test_fixture.h"

namespace arxiv_digest::api::testing {
namespace {

using RunRpcsTest = ApiFixture;

TEST_F(RunRpcsTest, TriggerRunWritesManifestAndTrigger) {
  v1::TriggerRunRequest req;
  req.add_categories("cs.LG");
  req.add_categories("cs.CL+cs.LG");
  req.set_date("2025-04-08");
  v1::TriggerRunResponse resp;
  grpc::Status s = stub_->TriggerRun(Ctx(kOperatorToken).get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.run_id(), "2025-04-08-ta0000001");

  auto m = HGetAll(keys::Run(resp.run_id()));
  EXPECT_EQ(m["run_id"], resp.run_id());
  EXPECT_EQ(m["status"], "requested");
  EXPECT_EQ(m["categories"], "cs.LG,cs.CL+cs.LG");
  EXPECT_EQ(m["date"], "2025-04-08");
  EXPECT_EQ(m["requested_at"], "2025-04-10T06:00:00Z");
  EXPECT_EQ(m["requested_by"], "ops");

  auto triggers = Stream(keys::TriggersStream());
  ASSERT_EQ(triggers.size(), 1u);
  EXPECT_EQ(triggers[0].Field("run_id"), resp.run_id());
  EXPECT_EQ(triggers[0].Field("categories"), "cs.LG,cs.CL+cs.LG");
  EXPECT_EQ(triggers[0].Field("date"), "2025-04-08");

  // GetRun sees the queued run.
  v1::GetRunRequest get;
  get.set_run_id(resp.run_id());
  v1::Run run;
  ASSERT_TRUE(stub_->GetRun(Ctx(kReaderToken).get(), get, &run).ok());
  EXPECT_EQ(run.status(), "requested");
  ASSERT_EQ(run.categories_size(), 2);
  EXPECT_EQ(run.categories(1), "cs.CL+cs.LG");
}

TEST_F(RunRpcsTest, TriggerRunWithoutDateIsPending) {
  v1::TriggerRunResponse resp;
  grpc::Status s = stub_->TriggerRun(Ctx(kOperatorToken).get(),
                                     v1::TriggerRunRequest(), &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.run_id(), "pending-ta0000001");
  auto triggers = Stream(keys::TriggersStream());
  ASSERT_EQ(triggers.size(), 1u);
  EXPECT_EQ(triggers[0].Field("date"), "");
  EXPECT_EQ(triggers[0].Field("categories"), "");
}

TEST_F(RunRpcsTest, TriggerRunRejectsBadInput) {
  struct Case {
    std::vector<std::string> categories;
    std::string date;
    std::string message_part;
  };
  for (const Case& c :
       std::vector<Case>{{{"cs.LG", "not a category"}, "", "not a category"},
                         {{"cs..LG"}, "", "cs..LG"},
                         {{"cs.LG+"}, "", "cs.LG+"},
                         {{}, "2025-13-01", "not a date"},
                         {{}, "2025-02-30", "not a date"},
                         {{}, "08/04/2025", "not a date"},
                         {{}, "2025-04-11", "in the future"}}) {
    v1::TriggerRunRequest req;
    for (const auto& cat : c.categories) req.add_categories(cat);
    req.set_date(c.date);
    v1::TriggerRunResponse resp;
    grpc::Status s = stub_->TriggerRun(Ctx(kOperatorToken).get(), req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << c.date << " " << s.error_message();
    EXPECT_NE(s.error_message().find(c.message_part), std::string::npos)
        << s.error_message();
  }
  EXPECT_TRUE(Stream(keys::TriggersStream()).empty());
}

TEST_F(RunRpcsTest, GetRunReportsCountsTokensCostAndProgress) {
  SeedRun("2025-04-08-abc", "2025-04-08", 1, 4, "fetched");
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(
        redis_->HSet(keys::RunScores("2025-04-08-abc"), {{PaperId(i), "{}"}})
            .ok());
  }
  v1::GetRunRequest req;
  req.set_run_id("2025-04-08-abc");
  v1::Run run;
  grpc::Status s = stub_->GetRun(Ctx(kReaderToken).get(), req, &run);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(run.run_id(), "2025-04-08-abc");
  EXPECT_EQ(run.date(), "2025-04-08");
  EXPECT_EQ(run.status(), "fetched");
  EXPECT_EQ(run.total_papers(), 900);
  EXPECT_EQ(run.scanned_papers(), 500);
  EXPECT_EQ(run.papers_to_score(), 4);
  EXPECT_EQ(run.papers_scored(), 3);
  EXPECT_DOUBLE_EQ(run.progress(), 0.75);
  EXPECT_EQ(run.prompt_tokens(), 1200);
  EXPECT_EQ(run.completion_tokens(), 300);
  EXPECT_EQ(run.cached_tokens(), 100);
  EXPECT_DOUBLE_EQ(run.cost_usd(), 0.25);
  EXPECT_EQ(run.profile(), "default");
}

// "Where did my papers go?" for a whole run: the fate records summed by the
// stage that decided, in stage order.
TEST_F(RunRpcsTest, GetRunCountsEachStagesKeptAndDroppedPapers) {
  SeedRun("2025-04-08-abc", "2025-04-08", 1, 4, "published");
  v1::GetRunRequest req;
  req.set_run_id("2025-04-08-abc");
  v1::Run run;
  ASSERT_TRUE(stub_->GetRun(Ctx(kReaderToken).get(), req, &run).ok());
  EXPECT_EQ(run.stage_fates_size(), 0) << "no fates recorded yet";

  auto fate = [](int i, const char* stage, bool dropped) {
    contract::PaperFate f;
    f.arxiv_id = PaperId(i);
    f.stage = stage;
    f.dropped = dropped;
    f.reason = "r";
    return std::pair{PaperId(i), contract::EncodePaperFate(f)};
  };
  ASSERT_TRUE(
      redis_
          ->HSet(keys::RunFates("2025-04-08-abc"), {fate(1, "abstract", false),
                                                    fate(2, "title", true),
                                                    fate(3, "h_index", true),
                                                    fate(4, "abstract", true),
                                                    {PaperId(5), "{broken"}})
          .ok());
  ASSERT_TRUE(stub_->GetRun(Ctx(kReaderToken).get(), req, &run).ok());
  ASSERT_EQ(run.stage_fates_size(), 3);
  EXPECT_EQ(run.stage_fates(0).stage(), "h_index");
  EXPECT_EQ(run.stage_fates(0).dropped(), 1);
  EXPECT_EQ(run.stage_fates(1).stage(), "title");
  EXPECT_EQ(run.stage_fates(1).dropped(), 1);
  EXPECT_EQ(run.stage_fates(2).stage(), "abstract");
  EXPECT_EQ(run.stage_fates(2).kept(), 1);
  EXPECT_EQ(run.stage_fates(2).dropped(), 1);
  EXPECT_EQ(run.unreadable_fates(), 1);
}

TEST_F(RunRpcsTest, GetRunShowsNoAnnouncements) {
  ASSERT_TRUE(redis_
                  ->HSet(keys::Run("2025-04-05-x"),
                         {{"run_id", "2025-04-05-x"},
                          {"date", "2025-04-05"},
                          {"status", "no_announcements"},
                          {"reason", "feed not updated since the last run"},
                          {"papers_to_score", "0"}})
                  .ok());
  v1::GetRunRequest req;
  req.set_run_id("2025-04-05-x");
  v1::Run run;
  ASSERT_TRUE(stub_->GetRun(Ctx(kReaderToken).get(), req, &run).ok());
  EXPECT_EQ(run.status(), "no_announcements");
  EXPECT_EQ(run.reason(), "feed not updated since the last run");
  EXPECT_EQ(run.progress(), 0);
}

TEST_F(RunRpcsTest, GetRunErrors) {
  v1::Run run;
  v1::GetRunRequest req;
  grpc::Status s = stub_->GetRun(Ctx(kReaderToken).get(), req, &run);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("run_id is required"), std::string::npos);

  req.set_run_id("bad id:with*chars");
  s = stub_->GetRun(Ctx(kReaderToken).get(), req, &run);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  req.set_run_id("2025-01-01-nope");
  s = stub_->GetRun(Ctx(kReaderToken).get(), req, &run);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(s.error_message().find("2025-01-01-nope"), std::string::npos);
}

TEST_F(RunRpcsTest, MetricsCountCallsByMethodAndCode) {
  v1::Run run;
  v1::GetRunRequest req;
  req.set_run_id("2025-01-01-nope");
  for (int i = 0; i < 2; ++i) {
    stub_->GetRun(Ctx(kReaderToken).get(), req, &run);
  }
  std::string m = Metrics();
  EXPECT_NE(
      m.find("arxiv_api_grpc_requests_total{code=NOT_FOUND,method=GetRun,} 2"),
      std::string::npos)
      << m;
}

}  // namespace
}  // namespace arxiv_digest::api::testing
