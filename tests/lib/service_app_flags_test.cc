// lib/app: --version, --check-config, the build-info gauge and the fatal
// error line under LOG_FORMAT=json (bad LOG_LEVEL included).
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <rapidjson/document.h>
#include <stdlib.h>

#include <sstream>
#include <string>
#include <vector>

#include "lib/app/build_info.h"
#include "lib/app/service_app.h"

namespace arxiv_digest {
namespace {

const std::string kConfigs = std::string(ARXIV_DIGEST_SOURCE_DIR) + "/configs";

int RunTestService(std::vector<std::string> args, bool* body_ran = nullptr) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  ServiceSpec spec;
  spec.name = "testsvc";
  spec.usage = "usage: testsvc\n";
  return RunService(static_cast<int>(argv.size()), argv.data(), spec,
                    [&](ServiceApp&) {
                      if (body_ran != nullptr) *body_ran = true;
                      return absl::OkStatus();
                    });
}

TEST(ServiceAppFlagsTest, VersionPrintsNameVersionRevisionAndBuildType) {
  ::testing::internal::CaptureStdout();
  bool ran = false;
  // No configuration needed to say what the binary is.
  EXPECT_EQ(RunTestService(
                {"testsvc", "--version", "--configs", "/nonexistent"}, &ran),
            0);
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_FALSE(ran);
  const BuildInfo& info = GetBuildInfo();
  EXPECT_EQ(out, "testsvc " + info.version + " (revision " + info.revision +
                     ", " + info.build_type + ")\n");
  EXPECT_FALSE(info.version.empty());
  EXPECT_FALSE(info.revision.empty());
}

TEST(ServiceAppFlagsTest, CheckConfigPrintsTheSettingsAndDoesNotRun) {
  ::testing::internal::CaptureStdout();
  bool ran = false;
  EXPECT_EQ(RunTestService({"testsvc", "--check-config", "--configs", kConfigs},
                           &ran),
            0);
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_FALSE(ran);
  EXPECT_NE(out.find("model = gpt-4o"), std::string::npos) << out;
}

TEST(ServiceAppFlagsTest, CheckConfigWithABadSettingExits2NamingIt) {
  setenv("OPENAI_BASE_URL", "ftp://nowhere", 1);
  ::testing::internal::CaptureStderr();
  const int code =
      RunTestService({"testsvc", "--check-config", "--configs", kConfigs});
  const std::string err = ::testing::internal::GetCapturedStderr();
  unsetenv("OPENAI_BASE_URL");
  EXPECT_EQ(code, 2);
  EXPECT_NE(err.find("OPENAI_BASE_URL"), std::string::npos) << err;
}

// ServiceSpec::check_config: --check-config and the start refuse alike,
// with exit 2, before the body runs.
int RunCheckedService(std::vector<std::string> args, absl::Status verdict,
                      bool* body_ran) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  ServiceSpec spec;
  spec.name = "testsvc";
  spec.check_config = [verdict](const ServiceApp& app) {
    EXPECT_EQ(app.profiles().count("default"), 1u);
    return verdict;
  };
  return RunService(static_cast<int>(argv.size()), argv.data(), spec,
                    [&](ServiceApp&) {
                      *body_ran = true;
                      return absl::OkStatus();
                    });
}

TEST(ServiceAppFlagsTest, CheckConfigHookRefusesCheckAndStartWithExit2) {
  const absl::Status refused =
      absl::InvalidArgumentError("profile 'x': [SELECTION] model: no price");
  for (bool check_only : {true, false}) {
    std::vector<std::string> args = {"testsvc", "--configs", kConfigs};
    if (check_only) args.push_back("--check-config");
    bool ran = false;
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    const int code = RunCheckedService(args, refused, &ran);
    const std::string out = ::testing::internal::GetCapturedStdout();
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(code, 2) << check_only;
    EXPECT_FALSE(ran);
    EXPECT_TRUE(out.empty()) << "no settings report after a refusal: " << out;
    EXPECT_NE(err.find("testsvc: configuration error: profile 'x': "
                       "[SELECTION] model: no price"),
              std::string::npos)
        << err;
  }
  bool ran = false;
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(
      RunCheckedService({"testsvc", "--check-config", "--configs", kConfigs},
                        absl::OkStatus(), &ran),
      0);
  EXPECT_NE(::testing::internal::GetCapturedStdout().find("model = gpt-4o"),
            std::string::npos);
  EXPECT_FALSE(ran);
  EXPECT_EQ(RunCheckedService({"testsvc", "--configs", kConfigs},
                              absl::OkStatus(), &ran),
            0);
  EXPECT_TRUE(ran);
}

TEST(ServiceAppFlagsTest, BuildInfoGaugeIsRegisteredOnce) {
  std::vector<std::string> args = {"testsvc", "--configs", kConfigs};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  ServiceSpec spec;
  spec.name = "testsvc";
  absl::StatusOr<std::unique_ptr<ServiceApp>> app =
      ServiceApp::Create(static_cast<int>(argv.size()), argv.data(), spec);
  ASSERT_TRUE(app.ok()) << app.status();
  std::ostringstream text;
  prometheus::TextSerializer().Serialize(text, (*app)->registry()->Collect());
  const BuildInfo& info = GetBuildInfo();
  const std::string series =
      "arxiv_digest_build_info{revision=\"" + info.revision +
      "\",service=\"testsvc\",version=\"" + info.version + "\"} 1";
  const std::string metrics = text.str();
  const size_t at = metrics.find(series);
  EXPECT_NE(at, std::string::npos) << metrics;
  EXPECT_EQ(metrics.find(series, at + 1), std::string::npos) << metrics;
}

TEST(ServiceAppFlagsTest, BadLogLevelExits2WithAJsonFatalLine) {
  setenv("LOG_FORMAT", "json", 1);
  setenv("LOG_LEVEL", "chatty", 1);
  bool ran = false;
  ::testing::internal::CaptureStderr();
  const int code = RunTestService({"testsvc", "--configs", kConfigs}, &ran);
  const std::string err = ::testing::internal::GetCapturedStderr();
  unsetenv("LOG_LEVEL");
  // A usage error under JSON: the usage text is a field, not loose lines.
  ::testing::internal::CaptureStderr();
  const int usage_code = RunTestService({"testsvc", "--bogus"});
  const std::string usage_err = ::testing::internal::GetCapturedStderr();
  unsetenv("LOG_FORMAT");
  (void)RunTestService({"testsvc", "--version"});  // back to text logging

  EXPECT_EQ(code, 2);
  EXPECT_FALSE(ran);
  rapidjson::Document doc;
  doc.Parse(err.c_str());
  ASSERT_FALSE(doc.HasParseError()) << err;
  ASSERT_TRUE(doc.IsObject()) << err;
  EXPECT_STREQ(doc["level"].GetString(), "FATAL");
  EXPECT_EQ(doc["exit_code"].GetInt(), 2);
  EXPECT_NE(std::string(doc["msg"].GetString())
                .find("LOG_LEVEL: 'chatty' is not one of debug, info, "
                      "warning, error"),
            std::string::npos)
      << err;

  EXPECT_EQ(usage_code, 2);
  rapidjson::Document usage;
  usage.Parse(usage_err.c_str());
  ASSERT_FALSE(usage.HasParseError()) << usage_err;
  EXPECT_STREQ(usage["usage"].GetString(), "usage: testsvc\n");
  EXPECT_EQ(usage_err.find('\n'), usage_err.size() - 1) << usage_err;
}

}  // namespace
}  // namespace arxiv_digest
