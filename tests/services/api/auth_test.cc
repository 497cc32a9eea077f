// Access control over real gRPC: bearer tokens with roles, the safe
// default without tokens, and tokens never reaching logs or messages.
#include <gtest/gtest.h>

#include "tests/services/api/api_test_fixture.h"

namespace arxiv_digest::api::testing {
namespace {

class AuthTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    SeedRun("2025-04-08-d2", "2025-04-08", 1, 2, "published");
    SeedDigest("default", "2025-04-08", 1, "2025-04-08-d2", 2, "x");
  }

  // Every RPC once with the given metadata value (empty: none).
  std::map<std::string, grpc::StatusCode> CallAll(const std::string& auth) {
    auto ctx = [&] {
      auto c = std::make_unique<grpc::ClientContext>();
      c->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(5));
      if (!auth.empty()) c->AddMetadata("authorization", auth);
      return c;
    };
    std::map<std::string, grpc::StatusCode> codes;
    {
      v1::TriggerRunResponse r;
      codes["TriggerRun"] =
          stub_->TriggerRun(ctx().get(), v1::TriggerRunRequest(), &r)
              .error_code();
    }
    {
      v1::GetRunRequest q;
      q.set_run_id("2025-04-08-d2");
      v1::Run r;
      codes["GetRun"] = stub_->GetRun(ctx().get(), q, &r).error_code();
    }
    {
      v1::GetDigestRequest q;
      v1::Digest r;
      codes["GetDigest"] = stub_->GetDigest(ctx().get(), q, &r).error_code();
    }
    {
      v1::ListDigestsResponse r;
      codes["ListDigests"] =
          stub_->ListDigests(ctx().get(), v1::ListDigestsRequest(), &r)
              .error_code();
    }
    {
      v1::RescoreRequest q;
      q.set_run_id("2025-04-08-d2");
      v1::RescoreResponse r;
      codes["Rescore"] = stub_->Rescore(ctx().get(), q, &r).error_code();
      q.set_dry_run(true);
      codes["Rescore(dry_run)"] =
          stub_->Rescore(ctx().get(), q, &r).error_code();
    }
    {
      v1::WatchJobRequest q;
      q.set_job_id("2025-04-08-d2");
      auto c = ctx();
      auto reader = stub_->WatchJob(c.get(), q);
      v1::JobProgress p;
      while (reader->Read(&p)) {
      }
      codes["WatchJob"] = reader->Finish().error_code();
    }
    return codes;
  }
};

using grpc::StatusCode;

TEST_F(AuthTest, MissingOrUnknownTokenIsUnauthenticated) {
  for (const std::string& auth :
       {std::string(), std::string("Bearer wrong-token-123"),
        std::string("Basic ") + kOperatorToken, std::string("Bearer ")}) {
    for (const auto& [method, code] : CallAll(auth)) {
      EXPECT_EQ(code, StatusCode::UNAUTHENTICATED)
          << method << " with '" << auth << "'";
    }
  }
}

TEST_F(AuthTest, ReaderReadsButCannotMutate) {
  std::map<std::string, StatusCode> codes =
      CallAll(std::string("Bearer ") + kReaderToken);
  EXPECT_EQ(codes["TriggerRun"], StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(codes["Rescore"], StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(codes["Rescore(dry_run)"], StatusCode::OK);
  EXPECT_EQ(codes["GetRun"], StatusCode::OK);
  EXPECT_EQ(codes["GetDigest"], StatusCode::OK);
  EXPECT_EQ(codes["ListDigests"], StatusCode::OK);
  EXPECT_EQ(codes["WatchJob"], StatusCode::OK);
}

TEST_F(AuthTest, OperatorMayDoEverything) {
  // "bearer" is case-insensitive, as RFC 6750's scheme name.
  for (const auto& [method, code] :
       CallAll(std::string("bearer ") + kOperatorToken)) {
    EXPECT_EQ(code, StatusCode::OK) << method;
  }
}

TEST_F(AuthTest, TokensNeverInLogsOrMessages) {
  ::testing::internal::CaptureStderr();
  CallAll("Bearer secret-guess-987654");
  CallAll(std::string("Bearer ") + kReaderToken);
  CallAll(std::string("Bearer ") + kOperatorToken);
  std::string logs = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(logs.find("secret-guess-987654"), std::string::npos) << logs;
  EXPECT_EQ(logs.find(kReaderToken), std::string::npos) << logs;
  EXPECT_EQ(logs.find(kOperatorToken), std::string::npos) << logs;
  EXPECT_NE(logs.find("request refused"), std::string::npos) << logs;

  v1::TriggerRunResponse r;
  grpc::Status s =
      stub_->TriggerRun(Ctx(kReaderToken).get(), v1::TriggerRunRequest(), &r);
  EXPECT_EQ(s.error_message().find(kReaderToken), std::string::npos);
  EXPECT_NE(s.error_message().find("'bob'"), std::string::npos);
}

class NoTokensTest : public AuthTest {
 protected:
  void SetUp() override {
    with_tokens_ = false;
    AuthTest::SetUp();
  }
};

TEST_F(NoTokensTest, ReadsOpenMutationsRefused) {
  for (const std::string& auth :
       {std::string(), std::string("Bearer ") + kOperatorToken}) {
    std::map<std::string, StatusCode> codes = CallAll(auth);
    EXPECT_EQ(codes["TriggerRun"], StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(codes["Rescore"], StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(codes["Rescore(dry_run)"], StatusCode::OK);
    EXPECT_EQ(codes["GetRun"], StatusCode::OK);
    EXPECT_EQ(codes["GetDigest"], StatusCode::OK);
    EXPECT_EQ(codes["ListDigests"], StatusCode::OK);
    EXPECT_EQ(codes["WatchJob"], StatusCode::OK);
  }
  v1::TriggerRunResponse r;
  grpc::Status s = stub_->TriggerRun(Ctx().get(), v1::TriggerRunRequest(), &r);
  EXPECT_NE(s.error_message().find("no tokens configured"), std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest::api::testing
