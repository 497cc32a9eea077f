#include "lib/app/service_app.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/http_transport/httplib_client.h"
#include "lib/redis/keys.h"
#include "tests/support/redis_test.h"

namespace arxiv_digest {
namespace {

const std::string kConfigs = std::string(ARXIV_DIGEST_SOURCE_DIR) + "/configs";

// argv from strings, kept alive for the call.
class Args {
 public:
  explicit Args(std::vector<std::string> args) : args_(std::move(args)) {
    for (std::string& a : args_) ptrs_.push_back(a.data());
  }
  int argc() { return static_cast<int>(ptrs_.size()); }
  char** argv() { return ptrs_.data(); }

 private:
  std::vector<std::string> args_;
  std::vector<char*> ptrs_;
};

ServiceSpec Spec() {
  ServiceSpec spec;
  spec.name = "testsvc";
  spec.usage = "usage: testsvc [--configs DIR] [--n N]\n";
  spec.default_admin_port = 0;
  spec.value_flags = {"--n"};
  spec.switch_flags = {"--once"};
  return spec;
}

TEST(ServiceAppTest, LoadsTheShippedConfigurationAndFlags) {
  Args args({"testsvc", "--configs", kConfigs, "--n", "7", "--once"});
  absl::StatusOr<std::unique_ptr<ServiceApp>> app =
      ServiceApp::Create(args.argc(), args.argv(), Spec());
  ASSERT_TRUE(app.ok()) << app.status();
  EXPECT_EQ((*app)->configs_dir(), kConfigs);
  EXPECT_TRUE((*app)->flags().Has("--once"));
  EXPECT_EQ(*(*app)->IntFlag("--n", 1), 7);
  EXPECT_EQ((*app)->config().selection.model, "gpt-4o");
  EXPECT_EQ((*app)->profiles().count("default"), 1u);
}

TEST(ServiceAppTest, UnknownFlagIsAUsageErrorWithExitCode2) {
  Args args({"testsvc", "--bogus"});
  absl::StatusOr<std::unique_ptr<ServiceApp>> app =
      ServiceApp::Create(args.argc(), args.argv(), Spec());
  ASSERT_FALSE(app.ok());
  EXPECT_NE(app.status().message().find("--bogus"), std::string::npos);
  EXPECT_EQ(ExitCodeFor(app.status()), 2);
}

TEST(ServiceAppTest, NegativeIntegerFlagIsRefusedNamingTheFlag) {
  Args args({"testsvc", "--configs", kConfigs, "--n", "-3"});
  absl::StatusOr<std::unique_ptr<ServiceApp>> app =
      ServiceApp::Create(args.argc(), args.argv(), Spec());
  ASSERT_TRUE(app.ok()) << app.status();
  absl::StatusOr<int> n = (*app)->IntFlag("--n", 1, 0);
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("--n"), std::string::npos);
  EXPECT_EQ(ExitCodeFor(n.status()), 2);
}

TEST(ServiceAppTest, MissingConfigFolderIsAConfigurationError) {
  Args args({"testsvc", "--configs", "/nonexistent/configs"});
  absl::StatusOr<std::unique_ptr<ServiceApp>> app =
      ServiceApp::Create(args.argc(), args.argv(), Spec());
  ASSERT_FALSE(app.ok());
  EXPECT_NE(app.status().message().find("configuration error"),
            std::string::npos);
  EXPECT_EQ(ExitCodeFor(app.status()), 2);
}

TEST(ServiceAppTest, KeyPrefixComesFromTheEnvironmentAndIsValidated) {
  Args args({"testsvc", "--configs", kConfigs});
  setenv("REDIS_KEY_PREFIX", "lab2:", 1);
  absl::StatusOr<std::unique_ptr<ServiceApp>> app =
      ServiceApp::Create(args.argc(), args.argv(), Spec());
  ASSERT_TRUE(app.ok()) << app.status();
  EXPECT_EQ(keys::PapersStream(), "lab2:papers");
  setenv("REDIS_KEY_PREFIX", "bad prefix*", 1);
  app = ServiceApp::Create(args.argc(), args.argv(), Spec());
  unsetenv("REDIS_KEY_PREFIX");
  ASSERT_FALSE(app.ok());
  EXPECT_NE(app.status().message().find("REDIS_KEY_PREFIX"), std::string::npos);
  EXPECT_EQ(ExitCodeFor(app.status()), 2);
  ASSERT_TRUE(keys::SetPrefix("arxiv:").ok());
  EXPECT_EQ(keys::PapersStream(), "arxiv:papers");
}

TEST(ServiceAppTest, RunServiceMapsStatusesToExitCodes) {
  Args help({"testsvc", "--help"});
  EXPECT_EQ(RunService(help.argc(), help.argv(), Spec(),
                       [](ServiceApp&) { return absl::OkStatus(); }),
            0);
  Args ok({"testsvc", "--configs", kConfigs});
  int calls = 0;
  EXPECT_EQ(RunService(ok.argc(), ok.argv(), Spec(),
                       [&](ServiceApp&) {
                         ++calls;
                         return absl::OkStatus();
                       }),
            0);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(RunService(ok.argc(), ok.argv(), Spec(),
                       [](ServiceApp&) {
                         return absl::UnavailableError("REDIS_URL: refused");
                       }),
            1);
  EXPECT_EQ(
      RunService(ok.argc(), ok.argv(), Spec(),
                 [](ServiceApp&) { return ConfigurationError("[X] y: bad"); }),
      2);
}

TEST(ServiceAppTest, AdminServerServesHealthOnAnEphemeralPort) {
  Args args({"testsvc", "--configs", kConfigs, "--admin-host", "127.0.0.1"});
  absl::StatusOr<std::unique_ptr<ServiceApp>> app =
      ServiceApp::Create(args.argc(), args.argv(), Spec());
  ASSERT_TRUE(app.ok()) << app.status();
  std::atomic<bool> ready{false};
  ASSERT_TRUE((*app)->StartAdmin([&] { return ready.load(); }).ok());
  const int port = (*app)->admin()->port();
  ASSERT_GT(port, 0);
  HttplibClient http;
  HttpRequest request;
  request.url = absl::StrCat("http://127.0.0.1:", port, "/readyz");
  absl::StatusOr<HttpResponse> not_ready = http.Send(request);
  ASSERT_TRUE(not_ready.ok()) << not_ready.status();
  EXPECT_EQ(not_ready->status, 503);
  ready = true;
  absl::StatusOr<HttpResponse> now_ready = http.Send(request);
  ASSERT_TRUE(now_ready.ok()) << now_ready.status();
  EXPECT_EQ(now_ready->status, 200);
}

// The app as a service creates it, with REDIS_URL pointing at `redis_url`.
std::unique_ptr<ServiceApp> AppWithRedis(const std::string& redis_url) {
  Args args({"testsvc", "--configs", kConfigs, "--admin-host", "127.0.0.1"});
  setenv("REDIS_URL", redis_url.c_str(), 1);
  absl::StatusOr<std::unique_ptr<ServiceApp>> app =
      ServiceApp::Create(args.argc(), args.argv(), Spec());
  unsetenv("REDIS_URL");
  EXPECT_TRUE(app.ok()) << app.status();
  return app.ok() ? *std::move(app) : nullptr;
}

int ReadyzStatus(ServiceApp& app) {
  HttplibClient http;
  HttpRequest request;
  request.url =
      absl::StrCat("http://127.0.0.1:", app.admin()->port(), "/readyz");
  absl::StatusOr<HttpResponse> response = http.Send(request);
  return response.ok() ? response->status : -1;
}

class ServiceAppRedisTest : public testing::RedisTest {};

TEST_F(ServiceAppRedisTest, ReadyzFollowsRedis) {
  std::unique_ptr<ServiceApp> app = AppWithRedis(server_->url());
  ASSERT_NE(app, nullptr);
  ASSERT_TRUE(app->StartAdmin(app->RedisReadiness()).ok());
  EXPECT_EQ(ReadyzStatus(*app), 200);
  ASSERT_TRUE(server_->Stop().ok());
  EXPECT_EQ(ReadyzStatus(*app), 503);
  EXPECT_EQ(ReadyzStatus(*app), 503);
  ASSERT_TRUE(server_->Restart().ok()) << server_->Log();
  // The first probe after the restart already reconnects.
  EXPECT_EQ(ReadyzStatus(*app), 200);
  EXPECT_EQ(ReadyzStatus(*app), 200);
}

TEST_F(ServiceAppRedisTest, RestartWithoutAProbeInBetweenIsReadyAtOnce) {
  std::unique_ptr<ServiceApp> app = AppWithRedis(server_->url());
  ASSERT_NE(app, nullptr);
  std::function<bool()> ready = app->RedisReadiness();
  EXPECT_TRUE(ready());
  // The probe's connection is now stale: the first PING on it fails.
  ASSERT_TRUE(server_->Stop().ok());
  ASSERT_TRUE(server_->Restart().ok()) << server_->Log();
  EXPECT_TRUE(ready());
}

TEST(ServiceAppReadinessTest, HungRedisAnswersNotReadyWithinASecond) {
  // A listening socket that never answers: connect succeeds (the kernel's
  // backlog), PING never gets a reply.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(fd, 8), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  std::unique_ptr<ServiceApp> app =
      AppWithRedis(absl::StrCat("redis://127.0.0.1:", ntohs(addr.sin_port)));
  ASSERT_NE(app, nullptr);
  std::function<bool()> ready = app->RedisReadiness();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(ready());
  EXPECT_LT(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(1500));
  close(fd);
}

TEST(ServiceAppTest, ConnectRedisErrorNamesRedisUrlButNotThePassword) {
  // Port 1 on loopback: nothing listens, the connection is refused.
  std::unique_ptr<ServiceApp> app =
      AppWithRedis("redis://:hunter2-pw@127.0.0.1:1/0");
  ASSERT_NE(app, nullptr);
  absl::StatusOr<std::unique_ptr<RedisClient>> redis = app->ConnectRedis();
  ASSERT_FALSE(redis.ok());
  std::string message(redis.status().message());
  EXPECT_NE(message.find("REDIS_URL"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  EXPECT_FALSE(app->RedisReadiness()());
}

}  // namespace
}  // namespace arxiv_digest
