// The publisher binary refuses a profile whose model has no price
// (tests/support/unpriced_profile_binary_test.h).
#include <gtest/gtest.h>

#include "tests/support/unpriced_profile_binary_test.h"

namespace arxiv_digest {
namespace {

class PublisherCheckConfigBinaryTest
    : public testing::UnpricedProfileBinaryTest {
 protected:
  testing::SubprocessOptions ServiceOptions() const override {
    testing::SubprocessOptions o;
    o.binary =
        std::string(ARXIV_DIGEST_BINARY_DIR) + "/services/publisher/publisher";
    o.env = {{"REDIS_URL", "redis://127.0.0.1:1"}};
    o.unset_env = {"LOG_FORMAT", "LOG_LEVEL", "OPENAI_BASE_URL",
                   "REDIS_KEY_PREFIX"};
    return o;
  }
};

TEST_F(PublisherCheckConfigBinaryTest, CheckConfigRefusesAnUnpricedModel) {
  ExpectCheckConfigRefusesTheModel();
}

TEST_F(PublisherCheckConfigBinaryTest, StartupRefusesItBeforeRedis) {
  ExpectStartupRefusesItBeforeRedis();
}

TEST_F(PublisherCheckConfigBinaryTest, ASelfHostedModelPricedAtZeroPasses) {
  ExpectAZeroPricedSelfHostedModelPasses();
}

}  // namespace
}  // namespace arxiv_digest
