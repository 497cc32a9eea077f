// Loading configs/model_prices.ini: absent, overriding, malformed.
#include "services/publisher/adapters/price_table_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace arxiv_digest {
namespace {

class PriceTableLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/price_table_loader_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void WritePrices(const std::string& text) {
    std::ofstream(dir_ + "/model_prices.ini") << text;
  }
  std::string dir_;
};

TEST_F(PriceTableLoaderTest, WithoutAFileTheBuiltInTableIsUsed) {
  absl::StatusOr<PriceTable> prices = LoadPriceTable(dir_);
  ASSERT_TRUE(prices.ok()) << prices.status();
  EXPECT_EQ(prices->size(), DefaultPriceTable().size());
  EXPECT_TRUE(prices->count("gpt-4o"));
}

TEST_F(PriceTableLoaderTest, TheFileOverridesAndExtends) {
  WritePrices(
      "[my-model]\nprompt = 1.5\ncompletion = 3\ncached = 0.5\n"
      "[gpt-4o]\nprompt = 9\ncompletion = 9\ncached = 9\n");
  absl::StatusOr<PriceTable> prices = LoadPriceTable(dir_);
  ASSERT_TRUE(prices.ok()) << prices.status();
  EXPECT_DOUBLE_EQ(prices->at("my-model").prompt, 1.5);
  EXPECT_DOUBLE_EQ(prices->at("gpt-4o").completion, 9);
  EXPECT_TRUE(prices->count("gpt-4o-mini")) << "built-in models stay";
}

TEST_F(PriceTableLoaderTest, AMalformedFileIsAnError) {
  WritePrices("[my-model]\nprompt = cheap\n");
  EXPECT_FALSE(LoadPriceTable(dir_).ok());
}

}  // namespace
}  // namespace arxiv_digest
