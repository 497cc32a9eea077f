// The publisher binary refuses a profile whose model has no price, both
// under --check-config and at startup, before it needs Redis; a self-hosted
// model priced at zero in model_prices.ini passes.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;

struct Result {
  int exit = -1;
  std::string out;
  std::string err;
  std::string describe;
};

class PublisherCheckConfigBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    configs_ = testing::TempDir("publisher-check-config-");
    for (const auto& e : fs::directory_iterator(
             std::string(ARXIV_DIGEST_SOURCE_DIR) + "/configs")) {
      if (e.is_regular_file()) {
        fs::copy_file(e.path(), fs::path(configs_) / e.path().filename());
      }
    }
    testing::WriteTextFile(configs_ + "/profiles/local/config.ini",
                           "[SELECTION]\nmodel = llama3.1:8b\n");
  }
  void TearDown() override { testing::RemoveTree(configs_); }

  Result Run(std::vector<std::string> args) {
    testing::SubprocessOptions o;
    o.binary =
        std::string(ARXIV_DIGEST_BINARY_DIR) + "/services/publisher/publisher";
    o.args = {"--configs", configs_, "--admin-port", "0"};
    o.args.insert(o.args.end(), args.begin(), args.end());
    // Nothing listens there: a publisher that got as far as Redis exits 1.
    o.env = {{"REDIS_URL", "redis://127.0.0.1:1"}};
    o.unset_env = {"LOG_FORMAT", "LOG_LEVEL", "OPENAI_BASE_URL",
                   "REDIS_KEY_PREFIX"};
    Result r;
    absl::StatusOr<std::unique_ptr<testing::Subprocess>> p =
        testing::Subprocess::Start(o);
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

  std::string configs_;
};

constexpr char kNamed[] = "profile 'local': [SELECTION] model";

TEST_F(PublisherCheckConfigBinaryTest, CheckConfigRefusesAnUnpricedModel) {
  Result r = Run({"--check-config"});
  EXPECT_EQ(r.exit, 2) << r.describe;
  EXPECT_NE(r.err.find(kNamed), std::string::npos) << r.describe;
  EXPECT_NE(r.err.find("llama3.1:8b"), std::string::npos) << r.describe;
}

TEST_F(PublisherCheckConfigBinaryTest, StartupRefusesItBeforeRedis) {
  Result r = Run({});
  EXPECT_EQ(r.exit, 2) << r.describe;
  EXPECT_NE(r.err.find(kNamed), std::string::npos) << r.describe;
  EXPECT_EQ(r.err.find("REDIS_URL"), std::string::npos) << r.describe;
}

TEST_F(PublisherCheckConfigBinaryTest, ASelfHostedModelPricedAtZeroPasses) {
  std::string prices = testing::ReadFileOrEmpty(configs_ + "/model_prices.ini");
  ASSERT_FALSE(prices.empty());
  testing::WriteTextFile(
      configs_ + "/model_prices.ini",
      prices + "\n[llama3.1:8b]\nprompt = 0\ncompletion = 0\ncached = 0\n");
  Result r = Run({"--check-config"});
  EXPECT_EQ(r.exit, 0) << r.describe;
  EXPECT_NE(r.out.find("llama3.1:8b"), std::string::npos) << r.describe;
}

}  // namespace
}  // namespace arxiv_digest
