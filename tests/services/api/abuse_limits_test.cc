// The api's abuse limits: the pure checks (limit subject, per-request
// Rescore ceilings, the days an id list spans), their flags, and over real
// gRPC + Redis the TriggerRun and dry-run rate limits, the daily work
// budget, the WatchJob caps and lifetime, the message size cap and the
// first call after a Redis restart.
#include "services/api/logic/abuse_limits.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "services/api/adapters/work_budget.h"
#include "services/api/logic/api_flags.h"
#include "tests/services/api/api_test_fixture.h"
#include "tests/support/redis_test.h"

namespace arxiv_digest::api::testing {
namespace {

using std::chrono::milliseconds;

TEST(LimitSubjectTest, ClientNameOrAnonymousPeerWithoutPort) {
  EXPECT_EQ(LimitSubject(ApiClient{"ops", Role::kOperator}, "ipv4:1.2.3.4:99"),
            "ops");
  ApiClient anonymous{kAnonymousClient, Role::kReader};
  EXPECT_EQ(LimitSubject(anonymous, "ipv4:10.0.0.7:51234"),
            "anonymous@ipv4:10.0.0.7");
  EXPECT_EQ(LimitSubject(anonymous, "ipv6:[::1]:51234"),
            "anonymous@ipv6:[::1]");
  EXPECT_EQ(LimitSubject(anonymous, ""), "anonymous");
}

TEST(LimitSubjectTest, RetryMessageRoundsUp) {
  EXPECT_EQ(RetryIn(milliseconds(1)), "retry in 1 s");
  EXPECT_EQ(RetryIn(milliseconds(59001)), "retry in 60 s");
  absl::Status s =
      LimitReached("TriggerRun rate limit", "ops", milliseconds(0));
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(),
            "TriggerRun rate limit of client 'ops' reached; retry in 1 s");
}

TEST(LimitSubjectTest, FullRefillSaturates) {
  EXPECT_EQ(FullRefill(std::chrono::seconds(60), 3), std::chrono::seconds(180));
  EXPECT_EQ(FullRefill(std::chrono::seconds(2000000000), 2000000000),
            std::chrono::hours(365 * 24));
}

RescoreResult Planned(int64_t papers, int64_t tokens,
                      std::vector<std::string> dates) {
  RescoreResult r;
  r.papers = papers;
  r.estimated_prompt_tokens = tokens;
  r.dates = std::move(dates);
  return r;
}

TEST(CheckRescoreRequestTest, CeilingsPerRequest) {
  AbuseLimits limits;
  limits.max_papers_per_request = 100;
  limits.max_tokens_per_request = 5000;
  RescoreTarget run;
  EXPECT_TRUE(
      CheckRescoreRequest(run, Planned(100, 5000, {"2025-04-08"}), limits, 31)
          .ok());
  absl::Status papers =
      CheckRescoreRequest(run, Planned(101, 10, {"2025-04-08"}), limits, 31);
  EXPECT_EQ(papers.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(papers.message().find("at most 100 papers"), std::string::npos);
  absl::Status tokens =
      CheckRescoreRequest(run, Planned(1, 5001, {"2025-04-08"}), limits, 31);
  EXPECT_EQ(tokens.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(tokens.message().find("at most 5000"), std::string::npos);
  // 0 = off.
  EXPECT_TRUE(CheckRescoreRequest(run, Planned(1 << 30, 1LL << 40, {}),
                                  AbuseLimits{}, 31)
                  .ok());
}

TEST(CheckRescoreRequestTest, IdsMaySpanNoMoreDaysThanARange) {
  RescoreTarget ids;
  ids.kind = RescoreTarget::Kind::kIds;
  EXPECT_TRUE(CheckRescoreRequest(ids,
                                  Planned(2, 2, {"2025-03-09", "2025-04-08"}),
                                  AbuseLimits{}, 31)
                  .ok());
  absl::Status s = CheckRescoreRequest(
      ids, Planned(2, 2, {"2025-03-08", "2025-04-08"}), AbuseLimits{}, 31);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("span 32 days"), std::string::npos) << s;
  // A date range was checked before planning; its jobs are not re-checked.
  RescoreTarget dates;
  dates.kind = RescoreTarget::Kind::kDates;
  EXPECT_TRUE(CheckRescoreRequest(dates,
                                  Planned(2, 2, {"2025-01-01", "2025-04-08"}),
                                  AbuseLimits{}, 31)
                  .ok());
}

absl::StatusOr<ApiFlags> FlagsOf(std::vector<std::string> args) {
  args.insert(args.begin(), "api");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  absl::StatusOr<ParsedFlags> parsed =
      ParseFlags(static_cast<int>(argv.size()), argv.data(), 1, ApiValueFlags(),
                 ApiSwitchFlags());
  if (!parsed.ok()) return parsed.status();
  return ApiFlagsFrom(*parsed, "");
}

TEST(AbuseLimitFlagsTest, DefaultsAreOnAndNegativeValuesRefused) {
  absl::StatusOr<ApiFlags> f = FlagsOf({});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->trigger_burst, 3);
  EXPECT_EQ(f->trigger_interval_seconds, 60);
  EXPECT_EQ(f->rescore_max_ids, 500);
  EXPECT_EQ(f->rescore_max_days, 31);
  EXPECT_GT(f->rescore_papers_per_day, 0);
  EXPECT_GT(f->watch_per_client, 0);
  EXPECT_EQ(f->grpc_max_receive_bytes, 1 << 20);
  for (const char* flag :
       {"--trigger-burst", "--dry-run-burst", "--rescore-max-papers",
        "--rescore-tokens-per-day", "--watch-total", "--watch-per-client",
        "--max-concurrent-rescores"}) {
    absl::StatusOr<ApiFlags> bad = FlagsOf({flag, "-1"});
    ASSERT_FALSE(bad.ok()) << flag;
    EXPECT_NE(bad.status().message().find(flag), std::string::npos)
        << bad.status();
    EXPECT_TRUE(FlagsOf({flag, "0"}).ok()) << flag << ": 0 = off";
  }
  for (const char* flag : {"--trigger-interval-seconds", "--rescore-max-days",
                           "--watch-max-seconds", "--rescore-max-ids"}) {
    EXPECT_FALSE(FlagsOf({flag, "0"}).ok()) << flag;
  }
  EXPECT_FALSE(FlagsOf({"--grpc-max-receive-bytes", "100"}).ok());
}

class AbuseLimitsTest : public ApiFixture {
 protected:
  void SetUp() override {
    api_options_.rescore_burst = 0;
    api_options_.abuse.trigger_burst = 3;
    api_options_.abuse.trigger_interval = std::chrono::seconds(60);
    api_options_.abuse.dry_run_burst = 2;
    api_options_.abuse.dry_run_interval = std::chrono::seconds(60);
    api_options_.abuse.papers_per_day = 5;
    api_options_.abuse.tokens_per_day = 1000000;
    api_options_.abuse.max_papers_per_request = 4;
    watch_limits_.per_client = 1;
    watch_limits_.total = 2;
    watch_limits_.max_lifetime = milliseconds(300);
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    SeedRun("2025-04-07-d1", "2025-04-07", 1, 3, "published");
    SeedRun("2025-04-08-d2", "2025-04-08", 11, 4, "published");
    SeedRun("2025-02-20-d0", "2025-02-20", 21, 1, "published");
  }

  size_t PapersQueued() { return Stream(keys::PapersStream()).size(); }
};

TEST_F(AbuseLimitsTest, TriggerRunFloodGetsBurstThenResourceExhausted) {
  int ok = 0, limited = 0;
  std::string message;
  for (int i = 0; i < 10; ++i) {
    v1::TriggerRunRequest req;
    v1::TriggerRunResponse resp;
    grpc::Status s = stub_->TriggerRun(Ctx(kOperatorToken).get(), req, &resp);
    if (s.ok()) {
      ++ok;
    } else {
      EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
      ++limited;
      message = s.error_message();
    }
  }
  EXPECT_EQ(ok, 3);
  EXPECT_EQ(limited, 7);
  EXPECT_NE(message.find("client 'ops'"), std::string::npos) << message;
  EXPECT_NE(message.find("retry in "), std::string::npos) << message;
  EXPECT_EQ(Stream(keys::TriggersStream()).size(), 3u);
  // Another client has its own bucket.
  v1::TriggerRunResponse resp;
  EXPECT_TRUE(stub_
                  ->TriggerRun(Ctx(kOtherOperatorToken).get(),
                               v1::TriggerRunRequest(), &resp)
                  .ok());
  EXPECT_NE(Metrics().find("arxiv_api_limited_total{limit=trigger,} 7"),
            std::string::npos)
      << Metrics();
}

TEST_F(AbuseLimitsTest, DryRunsAreRateLimitedAndWriteNothing) {
  v1::RescoreRequest req;
  req.set_run_id("2025-04-08-d2");
  req.set_dry_run(true);
  v1::RescoreResponse resp;
  EXPECT_TRUE(stub_->Rescore(Ctx(kReaderToken).get(), req, &resp).ok());
  EXPECT_TRUE(stub_->Rescore(Ctx(kReaderToken).get(), req, &resp).ok());
  grpc::Status third = stub_->Rescore(Ctx(kReaderToken).get(), req, &resp);
  EXPECT_EQ(third.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(third.error_message().find("dry-run"), std::string::npos);
  EXPECT_EQ(PapersQueued(), 0u);
}

TEST_F(AbuseLimitsTest, DailyWorkBudgetAndPerRequestCeiling) {
  v1::RescoreRequest too_big;
  too_big.set_run_id("2025-04-08-d2");  // 4 papers: at the ceiling
  v1::RescoreResponse resp;
  grpc::Status s = stub_->Rescore(Ctx(kOperatorToken).get(), too_big, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(PapersQueued(), 4u);
  // 3 more papers would exceed 5 per day: nothing written.
  v1::RescoreRequest more;
  more.set_run_id("2025-04-07-d1");
  s = stub_->Rescore(Ctx(kOperatorToken).get(), more, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(s.error_message().find("daily work budget"), std::string::npos)
      << s.error_message();
  EXPECT_EQ(PapersQueued(), 4u);
  // The other operator's budget is untouched; 5 papers exceed the ceiling.
  v1::RescoreRequest five;
  five.mutable_dates()->set_from_date("2025-04-07");
  five.mutable_dates()->set_to_date("2025-04-08");
  s = stub_->Rescore(Ctx(kOtherOperatorToken).get(), five, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("at most 4 papers"), std::string::npos);
  s = stub_->Rescore(Ctx(kOtherOperatorToken).get(), more, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(PapersQueued(), 7u);
}

TEST_F(AbuseLimitsTest, IdListSpanningMoreThanTheDateCapIsRefused) {
  v1::RescoreRequest req;
  req.mutable_papers()->add_arxiv_ids(PaperId(21));  // 2025-02-20
  req.mutable_papers()->add_arxiv_ids(PaperId(11));  // 2025-04-08
  v1::RescoreResponse resp;
  grpc::Status s = stub_->Rescore(Ctx(kOperatorToken).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("span 48 days"), std::string::npos)
      << s.error_message();
  EXPECT_EQ(PapersQueued(), 0u);
  EXPECT_TRUE(Stream(keys::RunsStream()).empty());
}

TEST_F(AbuseLimitsTest, IdListOverTheCapIsRefused) {
  v1::RescoreRequest req;
  for (int i = 0; i < 501; ++i) req.mutable_papers()->add_arxiv_ids(PaperId(i));
  v1::RescoreResponse resp;
  grpc::Status s = stub_->Rescore(Ctx(kOperatorToken).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("at most 500 ids"), std::string::npos)
      << s.error_message();
}

TEST_F(AbuseLimitsTest, OversizedRequestMessageIsRefused) {
  v1::RescoreRequest req;
  req.set_run_id("2025-04-08-d2");
  req.set_topics_override(std::string(size_t{2} << 20, 'x'));
  v1::RescoreResponse resp;
  grpc::Status s = stub_->Rescore(Ctx(kOperatorToken).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(PapersQueued(), 0u);
}

TEST_F(AbuseLimitsTest, WatchStreamsCappedPerClientAndEndAtTheirLifetime) {
  SeedRun("2025-04-08-job", "2025-04-08", 1, 2, "fetched");
  v1::WatchJobRequest req;
  req.set_job_id("2025-04-08-job");
  auto first_ctx = Ctx(kReaderToken);
  auto first = stub_->WatchJob(first_ctx.get(), req);
  v1::JobProgress progress;
  ASSERT_TRUE(first->Read(&progress));  // the stream is open

  auto second_ctx = Ctx(kReaderToken);
  auto second = stub_->WatchJob(second_ctx.get(), req);
  EXPECT_FALSE(second->Read(&progress));
  grpc::Status refused = second->Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);

  // The first ends at its lifetime (300 ms), not when the job ends.
  while (first->Read(&progress)) {
  }
  grpc::Status ended = first->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << ended.error_message();
  EXPECT_NE(ended.error_message().find("watch again"), std::string::npos);

  // Its place is free again: the server releases it when its reactor is
  // done, which may be just after the client has seen the stream end, so
  // a refusal in that moment is retried (bounded).
  bool reopened = false;
  for (int attempt = 0; attempt < 100 && !reopened; ++attempt) {
    auto third_ctx = Ctx(kReaderToken);
    auto third = stub_->WatchJob(third_ctx.get(), req);
    reopened = third->Read(&progress);
    if (reopened) third_ctx->TryCancel();
    while (third->Read(&progress)) {
    }
    grpc::Status s = third->Finish();
    if (!reopened) {
      ASSERT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
          << s.error_message();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  EXPECT_TRUE(reopened) << "the ended watch's place was never released";
}

TEST_F(AbuseLimitsTest, FirstCallAfterRedisRestartSucceeds) {
  v1::GetRunRequest req;
  req.set_run_id("2025-04-08-d2");
  v1::Run run;
  ASSERT_TRUE(stub_->GetRun(Ctx(kReaderToken).get(), req, &run).ok());
  const int connects = pool_->connects();
  // Without persistence the data is gone; the call must reach the new
  // server (NOT_FOUND), not fail on the dead connection (UNAVAILABLE).
  ASSERT_TRUE(redis_server_->Stop().ok());
  ASSERT_TRUE(redis_server_->Restart().ok());
  grpc::Status s = stub_->GetRun(Ctx(kReaderToken).get(), req, &run);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << s.error_message();
  EXPECT_GT(pool_->connects(), connects);
}

}  // namespace
}  // namespace arxiv_digest::api::testing

namespace arxiv_digest::api::testing {
namespace {

class WorkBudgetTest : public ::arxiv_digest::testing::RedisTest {};

TEST_F(WorkBudgetTest, TakesBothUnitsOrNeither) {
  WorkBudget budget(*redis_, "arxiv:api-limit:ops:rescore-work",
                    WorkAmount{10, 100});
  auto wait = budget.TryTake(WorkAmount{5, 90});
  ASSERT_TRUE(wait.ok()) << wait.status();
  EXPECT_EQ(wait->count(), 0);
  // Papers would fit, tokens would not: nothing is taken...
  wait = budget.TryTake(WorkAmount{1, 20});
  ASSERT_TRUE(wait.ok()) << wait.status();
  EXPECT_GT(wait->count(), 0);
  // ...so the papers are all still there (5 + 5 = 10).
  wait = budget.TryTake(WorkAmount{5, 10});
  ASSERT_TRUE(wait.ok()) << wait.status();
  EXPECT_EQ(wait->count(), 0);
  // A day refills 10 papers: one paper is ready in about 2.4 h.
  wait = budget.TryTake(WorkAmount{1, 0});
  ASSERT_TRUE(wait.ok());
  EXPECT_GT(*wait, std::chrono::hours(2));
  EXPECT_LT(*wait, std::chrono::hours(3));
  // More than a whole day's budget can never be granted.
  EXPECT_EQ(budget.TryTake(WorkAmount{11, 0}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Expires with its period: abandoned clients leave nothing behind.
  auto ttl = redis_->Command({"PTTL", "arxiv:api-limit:ops:rescore-work"});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 0);
}

TEST_F(WorkBudgetTest, ZeroCapacityIsUnlimited) {
  WorkBudget budget(*redis_, "k", WorkAmount{0, 0});
  auto wait = budget.TryTake(WorkAmount{1000000, 1000000000});
  ASSERT_TRUE(wait.ok());
  EXPECT_EQ(wait->count(), 0);
}

}  // namespace
}  // namespace arxiv_digest::api::testing
