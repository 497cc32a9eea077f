// WatchJob: a server stream that follows a job's manifest until it is
// done or failed, ends on client cancel and on server shutdown.
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <thread>

#include "tests/services/api/api_test_fixture.h"

namespace arxiv_digest::api::testing {
namespace {

using Clock = std::chrono::steady_clock;

class WatchJobTest : public ApiFixture {
 protected:
  void SetStatus(const std::string& run, const std::string& status) {
    ASSERT_TRUE(redis_->HSet(keys::Run(run), {{"status", status}}).ok());
  }
  void Score(const std::string& run, int n) {
    ASSERT_TRUE(redis_->HSet(keys::RunScores(run), {{PaperId(n), "{}"}}).ok());
  }
};

TEST_F(WatchJobTest, StreamsProgressUntilDone) {
  SeedRun("2025-04-08-job", "2025-04-08", 1, 2, "requested");
  std::thread pipeline([&] {
    auto redis = RedisClient::Connect(redis_server_->url());
    ASSERT_TRUE(redis.ok());
    auto step = [&](auto f) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      f(**redis);
    };
    step([](RedisClient& r) {
      r.HSet(keys::Run("2025-04-08-job"), {{"status", "fetched"}})
          .IgnoreError();
    });
    step([](RedisClient& r) {
      r.HSet(keys::RunScores("2025-04-08-job"), {{PaperId(1), "{}"}})
          .IgnoreError();
    });
    step([](RedisClient& r) {
      r.HSet(keys::RunScores("2025-04-08-job"), {{PaperId(2), "{}"}})
          .IgnoreError();
    });
    step([](RedisClient& r) {
      r.HSet(keys::Run("2025-04-08-job"), {{"status", "published"}})
          .IgnoreError();
    });
  });
  v1::WatchJobRequest req;
  req.set_job_id("2025-04-08-job");
  auto ctx = Ctx(kReaderToken);
  auto reader = stub_->WatchJob(ctx.get(), req);
  std::vector<v1::JobProgress> seen;
  v1::JobProgress p;
  while (reader->Read(&p)) seen.push_back(p);
  grpc::Status s = reader->Finish();
  pipeline.join();
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_GE(seen.size(), 3u);
  EXPECT_EQ(seen.front().state(), "queued");
  EXPECT_EQ(seen.front().job_id(), "2025-04-08-job");
  EXPECT_EQ(seen.back().state(), "done");
  EXPECT_EQ(seen.back().papers_done(), 2);
  EXPECT_EQ(seen.back().papers_total(), 2);
  EXPECT_DOUBLE_EQ(seen.back().fraction(), 1.0);
  bool saw_running = false;
  for (size_t i = 1; i < seen.size(); ++i) {
    if (seen[i].state() == "running") saw_running = true;
    // Only changes are sent.
    EXPECT_FALSE(seen[i].state() == seen[i - 1].state() &&
                 seen[i].papers_done() == seen[i - 1].papers_done() &&
                 seen[i].run_status() == seen[i - 1].run_status());
  }
  EXPECT_TRUE(saw_running);
}

TEST_F(WatchJobTest, FailedJobEndsWithFailedState) {
  SeedRun("2025-04-08-bad", "2025-04-08", 1, 2, "failed");
  ASSERT_TRUE(
      redis_->HSet(keys::Run("2025-04-08-bad"), {{"error", "LLM quota"}}).ok());
  v1::WatchJobRequest req;
  req.set_job_id("2025-04-08-bad");
  auto ctx = Ctx(kReaderToken);
  auto reader = stub_->WatchJob(ctx.get(), req);
  v1::JobProgress p;
  ASSERT_TRUE(reader->Read(&p));
  EXPECT_EQ(p.state(), "failed");
  EXPECT_EQ(p.message(), "LLM quota");
  EXPECT_FALSE(reader->Read(&p));
  EXPECT_TRUE(reader->Finish().ok());
}

TEST_F(WatchJobTest, UnknownAndInvalidJobs) {
  for (const auto& [id, code] :
       std::vector<std::pair<std::string, grpc::StatusCode>>{
           {"2025-04-08-none", grpc::StatusCode::NOT_FOUND},
           {"", grpc::StatusCode::INVALID_ARGUMENT},
           {"a b", grpc::StatusCode::INVALID_ARGUMENT}}) {
    v1::WatchJobRequest req;
    req.set_job_id(id);
    auto ctx = Ctx(kReaderToken);
    auto reader = stub_->WatchJob(ctx.get(), req);
    v1::JobProgress p;
    EXPECT_FALSE(reader->Read(&p));
    EXPECT_EQ(reader->Finish().error_code(), code) << id;
  }
}

TEST_F(WatchJobTest, ClientCancelEndsStream) {
  SeedRun("2025-04-08-long", "2025-04-08", 1, 2, "fetched");
  v1::WatchJobRequest req;
  req.set_job_id("2025-04-08-long");
  auto ctx = Ctx(kReaderToken);
  auto reader = stub_->WatchJob(ctx.get(), req);
  v1::JobProgress p;
  ASSERT_TRUE(reader->Read(&p));
  EXPECT_EQ(p.state(), "running");
  ctx->TryCancel();
  EXPECT_FALSE(reader->Read(&p));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  // The server side lets go of the stream too.
  auto deadline = Clock::now() + std::chrono::seconds(5);
  while (metrics_->active_watches.Value() > 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(metrics_->active_watches.Value(), 0);
}

TEST_F(WatchJobTest, ServerShutdownEndsStreamPromptly) {
  SeedRun("2025-04-08-long", "2025-04-08", 1, 2, "fetched");
  v1::WatchJobRequest req;
  req.set_job_id("2025-04-08-long");
  auto ctx = Ctx(kReaderToken);
  auto reader = stub_->WatchJob(ctx.get(), req);
  v1::JobProgress p;
  ASSERT_TRUE(reader->Read(&p));
  auto start = Clock::now();
  std::thread stopper([&] {
    scheduler_->Stop();
    grpc_->Shutdown(std::chrono::seconds(5));
  });
  EXPECT_FALSE(reader->Read(&p));
  grpc::Status s = reader->Finish();
  stopper.join();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
}

// The standard health service answers for the DigestService.
TEST_F(WatchJobTest, HealthServiceReportsServing) {
  grpc::GenericStub generic(channel_);
  // grpc.health.v1.HealthCheckRequest{service = 1}: tag 0x0a, length, bytes.
  std::string service = "arxiv_digest.v1.DigestService";
  std::string wire =
      std::string("\x0a", 1) + static_cast<char>(service.size()) + service;
  grpc::Slice slice(wire);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  generic.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                    &request, &response, [&](grpc::Status s) {
                      std::lock_guard<std::mutex> lock(mu);
                      status = s;
                      done = true;
                      cv.notify_one();
                    });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const auto& s : slices) bytes += std::string(s.begin(), s.end());
  // HealthCheckResponse{status = SERVING (1)}.
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));
}

}  // namespace
}  // namespace arxiv_digest::api::testing
