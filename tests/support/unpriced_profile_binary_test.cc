#include "tests/support/unpriced_profile_binary_test.h"

#include <filesystem>
#include <memory>

namespace arxiv_digest::testing {
namespace {

constexpr char kNamed[] = "profile 'local': [SELECTION] model";
constexpr char kModel[] = "llama3.1:8b";

}  // namespace

void UnpricedProfileBinaryTest::SetUp() {
  namespace fs = std::filesystem;
  configs_ = TempDir("unpriced-profile-");
  for (const auto& e : fs::directory_iterator(
           std::string(ARXIV_DIGEST_SOURCE_DIR) + "/configs")) {
    if (e.is_regular_file()) {
      fs::copy_file(e.path(), fs::path(configs_) / e.path().filename());
    }
  }
  WriteTextFile(configs_ + "/profiles/local/config.ini",
                std::string("[SELECTION]\nmodel = ") + kModel + "\n");
}

UnpricedProfileBinaryTest::Result UnpricedProfileBinaryTest::Run(
    const std::vector<std::string>& args) const {
  SubprocessOptions o = ServiceOptions();
  o.args = {"--configs", configs_, "--admin-port", "0"};
  o.args.insert(o.args.end(), args.begin(), args.end());
  Result r;
  absl::StatusOr<std::unique_ptr<Subprocess>> p = Subprocess::Start(o);
  if (!p.ok()) {
    r.describe = std::string(p.status().message());
    return r;
  }
  r.exit = (*p)->WaitFor(std::chrono::seconds(60)).value_or(-1);
  r.out = (*p)->ReadStdout();
  r.err = (*p)->ReadStderr();
  r.describe = (*p)->Describe();
  return r;
}

void UnpricedProfileBinaryTest::ExpectCheckConfigRefusesTheModel() const {
  Result r = Run({"--check-config"});
  EXPECT_EQ(r.exit, 2) << r.describe;
  EXPECT_NE(r.err.find(kNamed), std::string::npos) << r.describe;
  EXPECT_NE(r.err.find(kModel), std::string::npos) << r.describe;
}

void UnpricedProfileBinaryTest::ExpectStartupRefusesItBeforeRedis() const {
  // ServiceOptions point REDIS_URL where nothing listens: a service that
  // got as far as Redis would exit 1 naming it.
  Result r = Run(StartupArgs());
  EXPECT_EQ(r.exit, 2) << r.describe;
  EXPECT_NE(r.err.find(kNamed), std::string::npos) << r.describe;
  EXPECT_EQ(r.err.find("REDIS_URL"), std::string::npos) << r.describe;
}

void UnpricedProfileBinaryTest::ExpectAZeroPricedSelfHostedModelPasses() const {
  std::string prices = ReadFileOrEmpty(configs_ + "/model_prices.ini");
  ASSERT_FALSE(prices.empty());
  WriteTextFile(
      configs_ + "/model_prices.ini",
      prices + "\n[" + kModel + "]\nprompt = 0\ncompletion = 0\ncached = 0\n");
  Result r = Run({"--check-config"});
  EXPECT_EQ(r.exit, 0) << r.describe;
  EXPECT_NE(r.out.find(kModel), std::string::npos) << r.describe;
}

}  // namespace arxiv_digest::testing
