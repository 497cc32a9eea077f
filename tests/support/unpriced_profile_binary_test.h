// What every service that spends or prices tokens (scorer, publisher) must
// do with a reader profile whose model has no price: refuse it under
// --check-config and at startup (exit 2 naming the profile and the
// setting), before it needs Redis; a self-hosted model priced at zero in
// model_prices.ini passes. Each service's test derives from this fixture
// with its binary and environment.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/subprocess.h"

namespace arxiv_digest::testing {

class UnpricedProfileBinaryTest : public ::testing::Test {
 protected:
  struct Result {
    int exit = -1;
    std::string out;
    std::string err;
    std::string describe;
  };

  // The binary and its environment; --configs and --admin-port are added.
  virtual SubprocessOptions ServiceOptions() const = 0;
  // Flags the service needs to start without an LLM or Redis reachable.
  virtual std::vector<std::string> StartupArgs() const { return {}; }

  void SetUp() override;
  void TearDown() override { RemoveTree(configs_); }

  Result Run(const std::vector<std::string>& args) const;

  void ExpectCheckConfigRefusesTheModel() const;
  void ExpectStartupRefusesItBeforeRedis() const;
  void ExpectAZeroPricedSelfHostedModelPasses() const;

  std::string configs_;
};

}  // namespace arxiv_digest::testing
