// lib/config/model_prices: loading configs/model_prices.ini (absent,
// overriding, malformed) and the startup check of every profile's model.
#include "lib/config/model_prices.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace arxiv_digest {
namespace {

class ModelPricesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/model_prices_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void WritePrices(const std::string& text) {
    std::ofstream(dir_ + "/model_prices.ini") << text;
  }
  std::string dir_;
};

TEST_F(ModelPricesTest, WithoutAFileTheBuiltInTableIsUsed) {
  absl::StatusOr<PriceTable> prices = LoadPriceTable(dir_);
  ASSERT_TRUE(prices.ok()) << prices.status();
  EXPECT_EQ(prices->size(), DefaultPriceTable().size());
  EXPECT_TRUE(prices->count("gpt-4o"));
}

TEST_F(ModelPricesTest, TheFileOverridesAndExtends) {
  WritePrices(
      "[my-model]\nprompt = 1.5\ncompletion = 3\ncached = 0.5\n"
      "[gpt-4o]\nprompt = 9\ncompletion = 9\ncached = 9\n");
  absl::StatusOr<PriceTable> prices = LoadPriceTable(dir_);
  ASSERT_TRUE(prices.ok()) << prices.status();
  EXPECT_DOUBLE_EQ(prices->at("my-model").prompt, 1.5);
  EXPECT_DOUBLE_EQ(prices->at("gpt-4o").completion, 9);
  EXPECT_TRUE(prices->count("gpt-4o-mini")) << "built-in models stay";
}

TEST_F(ModelPricesTest, AMalformedFileIsAnError) {
  WritePrices("[my-model]\nprompt = cheap\n");
  EXPECT_FALSE(LoadPriceTable(dir_).ok());
}

TEST_F(ModelPricesTest, CheckProfilePricesNamesTheUnpricedProfile) {
  std::map<std::string, Config> profiles;
  profiles["default"] = Config();
  profiles["local"].selection.model = "llama3.1:8b";
  absl::Status s = CheckProfilePrices(dir_, profiles);
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("profile 'local': [SELECTION] model: "
                             "'llama3.1:8b' has no price"),
            std::string::npos)
      << s.message();
  // A self-hosted model priced at zero is priced.
  WritePrices("[llama3.1:8b]\nprompt = 0\ncompletion = 0\ncached = 0\n");
  EXPECT_TRUE(CheckProfilePrices(dir_, profiles).ok());
  // A snapshot of a priced model is priced too.
  profiles["local"].selection.model = "gpt-4o-2024-08-06";
  EXPECT_TRUE(CheckProfilePrices(dir_, profiles).ok());
}

TEST_F(ModelPricesTest, CheckProfilePricesReportsAMalformedFile) {
  WritePrices("[my-model]\nprompt = cheap\n");
  absl::Status s = CheckProfilePrices(dir_, {{"default", Config()}});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("model_prices.ini [my-model] prompt"),
            std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace arxiv_digest
