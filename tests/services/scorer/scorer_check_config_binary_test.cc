// The scorer binary, the one that spends tokens, refuses a profile whose model
// has no price, both under --check-config and at startup, before it needs
// Redis; a self-hosted model priced at zero in model_prices.ini passes.
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

class ScorerCheckConfigBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    configs_ = testing::TempDir("scorer-check-config-");
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
    o.binary = std::string(ARXIV_DIGEST_BINARY_DIR) + "/services/scorer/scorer";
    o.args = {"--configs", configs_, "--admin-port", "0"};
    o.args.insert(o.args.end(), args.begin(), args.end());
    // Nothing listens there: a scorer that got as far as Redis exits 1.
    // The LLM backend that bills tokens, at an address where nothing
    // listens, never probed.
    o.env = {{"REDIS_URL", "redis://127.0.0.1:1"},
             {"OPENAI_API_KEY", "sk-test"},
             {"OPENAI_BASE_URL", "http://127.0.0.1:1/v1"}};
    o.unset_env = {"LOG_FORMAT", "LOG_LEVEL", "REDIS_KEY_PREFIX",
                   "SCORER_BACKEND"};
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

TEST_F(ScorerCheckConfigBinaryTest, CheckConfigRefusesAnUnpricedModel) {
  Result r = Run({"--check-config"});
  EXPECT_EQ(r.exit, 2) << r.describe;
  EXPECT_NE(r.err.find(kNamed), std::string::npos) << r.describe;
  EXPECT_NE(r.err.find("llama3.1:8b"), std::string::npos) << r.describe;
}

TEST_F(ScorerCheckConfigBinaryTest, StartupRefusesItBeforeRedis) {
  Result r = Run({"--probe-llm", "off"});
  EXPECT_EQ(r.exit, 2) << r.describe;
  EXPECT_NE(r.err.find(kNamed), std::string::npos) << r.describe;
  EXPECT_EQ(r.err.find("REDIS_URL"), std::string::npos) << r.describe;
}

TEST_F(ScorerCheckConfigBinaryTest, ASelfHostedModelPricedAtZeroPasses) {
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
