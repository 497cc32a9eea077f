// TLS by setting: the api's gRPC server with a certificate and key
// (self-signed, made with the openssl CLI for the test) serves TLS clients
// and refuses plaintext ones.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/services/api/api_test_fixture.h"

namespace arxiv_digest::api::testing {
namespace {

using TlsTest = ApiFixture;

TEST_F(TlsTest, ServesTlsClientsOnly) {
  if (!std::filesystem::exists("/usr/bin/openssl")) {
    GTEST_SKIP() << "openssl CLI not installed";
  }
  std::string dir = arxiv_digest::testing::TempDir("api-tls-");
  arxiv_digest::testing::SubprocessOptions o;
  o.binary = "/usr/bin/openssl";
  o.args = {"req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            dir + "/key.pem",
            "-out",
            dir + "/cert.pem"};
  auto p = arxiv_digest::testing::Subprocess::Start(o);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ((*p)->WaitFor(std::chrono::seconds(60)), 0) << (*p)->Describe();

  GrpcServer tls_server;
  GrpcServerOptions options;
  options.address = "127.0.0.1:0";
  options.tls_cert_file = dir + "/cert.pem";
  options.tls_key_file = dir + "/key.pem";
  auto port = tls_server.Start(*service_, options);
  ASSERT_TRUE(port.ok()) << port.status();

  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs =
      arxiv_digest::testing::ReadFileOrEmpty(dir + "/cert.pem");
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("localhost");
  auto secure = v1::DigestService::NewStub(grpc::CreateCustomChannel(
      absl::StrCat("127.0.0.1:", *port), grpc::SslCredentials(ssl), args));
  v1::ListProfilesResponse resp;
  grpc::Status s = secure->ListProfiles(Ctx(kReaderToken).get(), {}, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.profiles(0), "default");

  auto plain = v1::DigestService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", *port), grpc::InsecureChannelCredentials()));
  auto ctx = Ctx(kReaderToken);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  s = plain->ListProfiles(ctx.get(), {}, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();

  GrpcServerOptions half = options;
  half.tls_key_file.clear();
  GrpcServer bad;
  EXPECT_EQ(bad.Start(*service_, half).status().code(),
            absl::StatusCode::kInvalidArgument);
  tls_server.Shutdown(std::chrono::seconds(1));
  arxiv_digest::testing::RemoveTree(dir);
}

}  // namespace
}  // namespace arxiv_digest::api::testing
