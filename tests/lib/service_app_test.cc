#include "lib/app/service_app.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/http_transport/httplib_client.h"
#include "lib/redis/keys.h"

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

}  // namespace
}  // namespace arxiv_digest
