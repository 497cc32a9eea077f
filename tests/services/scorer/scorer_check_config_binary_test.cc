// The scorer binary, the one that spends tokens, refuses a profile whose
// model has no price (tests/support/unpriced_profile_binary_test.h).
#include <gtest/gtest.h>

#include "tests/support/unpriced_profile_binary_test.h"

namespace arxiv_digest {
namespace {

class ScorerCheckConfigBinaryTest : public testing::UnpricedProfileBinaryTest {
 protected:
  testing::SubprocessOptions ServiceOptions() const override {
    testing::SubprocessOptions o;
    o.binary = std::string(ARXIV_DIGEST_BINARY_DIR) + "/services/scorer/scorer";
    // The LLM backend that bills tokens, at an address where nothing
    // listens, never probed; Redis where nothing listens either.
    o.env = {{"REDIS_URL", "redis://127.0.0.1:1"},
             {"OPENAI_API_KEY", "sk-test"},
             {"OPENAI_BASE_URL", "http://127.0.0.1:1/v1"}};
    o.unset_env = {"LOG_FORMAT", "LOG_LEVEL", "REDIS_KEY_PREFIX",
                   "SCORER_BACKEND"};
    return o;
  }
  std::vector<std::string> StartupArgs() const override {
    return {"--probe-llm", "off"};
  }
};

TEST_F(ScorerCheckConfigBinaryTest, CheckConfigRefusesAnUnpricedModel) {
  ExpectCheckConfigRefusesTheModel();
}

TEST_F(ScorerCheckConfigBinaryTest, StartupRefusesItBeforeRedis) {
  ExpectStartupRefusesItBeforeRedis();
}

TEST_F(ScorerCheckConfigBinaryTest, ASelfHostedModelPricedAtZeroPasses) {
  ExpectAZeroPricedSelfHostedModelPasses();
}

}  // namespace
}  // namespace arxiv_digest
