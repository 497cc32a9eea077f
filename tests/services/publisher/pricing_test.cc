#include "services/publisher/logic/pricing.h"

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace arxiv_digest {
namespace {

TEST(FormatPythonRound2Test, MatchesPythonStrRound) {
  // Expected values are what CPython prints for str(round(x, 2)).
  EXPECT_EQ(FormatPythonRound2(0.128595), "0.13");
  EXPECT_EQ(FormatPythonRound2(0.201445), "0.2");
  EXPECT_EQ(FormatPythonRound2(0.0), "0.0");
  EXPECT_EQ(FormatPythonRound2(0.07285), "0.07");
  // 1.005 is stored as 1.00499999..., so it rounds down in Python too.
  EXPECT_EQ(FormatPythonRound2(1.005), "1.0");
  EXPECT_EQ(FormatPythonRound2(2.675), "2.67");
  // Exact binary ties go to even, like Python.
  EXPECT_EQ(FormatPythonRound2(0.125), "0.12");
  EXPECT_EQ(FormatPythonRound2(0.375), "0.38");
  EXPECT_EQ(FormatPythonRound2(0.995), "0.99");
  EXPECT_EQ(FormatPythonRound2(123456.789), "123456.79");
  EXPECT_EQ(FormatPythonRound2(1234567.125), "1234567.12");
  EXPECT_EQ(FormatPythonRound2(-0.001), "-0.0");
  EXPECT_EQ(FormatPythonRound2(7.0), "7.0");
}

TEST(FormatPythonFloatTest, MatchesPythonRepr) {
  EXPECT_EQ(FormatPythonFloat(20.0), "20.0");
  EXPECT_EQ(FormatPythonFloat(0.1), "0.1");
  EXPECT_EQ(FormatPythonFloat(1e-5), "1e-05");
  EXPECT_EQ(FormatPythonFloat(1e16), "1e+16");
  EXPECT_EQ(FormatPythonFloat(1e15), "1000000000000000.0");
}

TEST(ComputeCostTest, Gpt4oReferenceDigest) {
  TokenUsage usage{.prompt_tokens = 51438, .completion_tokens = 7285};
  const Cost cost = ComputeCost("gpt-4o", usage);
  EXPECT_TRUE(cost.known_model);
  EXPECT_NEAR(cost.prompt, 0.128595, 1e-12);
  EXPECT_NEAR(cost.completion, 0.07285, 1e-12);
  EXPECT_EQ(FormatPythonRound2(cost.prompt + cost.completion), "0.2");
}

TEST(ComputeCostTest, CachedTokensUseCachedPrice) {
  // 1M prompt tokens of which 400k cached: 600k*2 + 400k*0.5 per 1M.
  TokenUsage usage{.prompt_tokens = 1'000'000,
                   .completion_tokens = 1'000'000,
                   .cached_tokens = 400'000};
  const Cost cost = ComputeCost("gpt-4.1", usage);
  EXPECT_DOUBLE_EQ(cost.prompt, 1.2 + 0.2);
  EXPECT_DOUBLE_EQ(cost.completion, 8.0);
}

TEST(ComputeCostTest, EveryTableModel) {
  const TokenUsage m{.prompt_tokens = 1'000'000,
                     .completion_tokens = 1'000'000,
                     .cached_tokens = 0};
  EXPECT_DOUBLE_EQ(ComputeCost("gpt-4o-mini", m).completion, 0.6);
  EXPECT_DOUBLE_EQ(ComputeCost("gpt-4.1-mini", m).prompt, 0.4);
  EXPECT_DOUBLE_EQ(ComputeCost("o3-mini", m).completion, 4.4);
  EXPECT_DOUBLE_EQ(ComputeCost("deepseek-chat", m).prompt, 0.28);
  EXPECT_DOUBLE_EQ(ComputeCost("gpt-5", m).completion, 10);
  EXPECT_DOUBLE_EQ(ComputeCost("gpt-4-1106-preview", m).completion, 30);
  const TokenUsage cached{.prompt_tokens = 1'000'000,
                          .completion_tokens = 0,
                          .cached_tokens = 1'000'000};
  EXPECT_DOUBLE_EQ(ComputeCost("deepseek-chat", cached).prompt, 0.028);
  EXPECT_DOUBLE_EQ(ComputeCost("gpt-4o-mini", cached).prompt, 0.075);
  EXPECT_DOUBLE_EQ(ComputeCost("gpt-5-mini", cached).prompt, 0.025);
}

// Every model issue 14 names has a price with all three rates.
TEST(ComputeCostTest, CurrentModelsArePriced) {
  for (const char* model :
       {"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano",
        "o3", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano",
        "deepseek-chat", "deepseek-reasoner"}) {
    std::optional<ModelPrice> price =
        FindModelPrice(DefaultPriceTable(), model);
    ASSERT_TRUE(price.has_value()) << model;
    EXPECT_GT(price->prompt, 0) << model;
    EXPECT_GT(price->completion, price->cached) << model;
    EXPECT_LE(price->cached, price->prompt) << model;
    EXPECT_EQ(NoKnownPriceNote(DefaultPriceTable(), model), "") << model;
  }
}

// The shipped configs/model_prices.ini and the built-in table agree, so a
// deployment without the file bills the same.
TEST(ComputeCostTest, ShippedPriceFileMatchesBuiltInTable) {
  std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) +
                   "/configs/model_prices.ini");
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<PriceTable> file = ParsePriceTable(text.str(), PriceTable{});
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_EQ(file->size(), DefaultPriceTable().size());
  for (const auto& [model, price] : DefaultPriceTable()) {
    ASSERT_TRUE(file->count(model)) << model;
    EXPECT_DOUBLE_EQ(file->at(model).prompt, price.prompt) << model;
    EXPECT_DOUBLE_EQ(file->at(model).completion, price.completion) << model;
    EXPECT_DOUBLE_EQ(file->at(model).cached, price.cached) << model;
  }
}

TEST(ComputeCostTest, SnapshotAndProviderNamesFindTheirModel) {
  const PriceTable& t = DefaultPriceTable();
  EXPECT_DOUBLE_EQ(FindModelPrice(t, "gpt-4o-2024-08-06")->prompt, 2.5);
  EXPECT_DOUBLE_EQ(FindModelPrice(t, "gpt-4o-mini-2024-07-18")->prompt, 0.15);
  EXPECT_DOUBLE_EQ(FindModelPrice(t, "gpt-4.1-nano-2025-04-14")->prompt, 0.1);
  EXPECT_DOUBLE_EQ(FindModelPrice(t, "gpt-4-0613")->prompt, 30);
  EXPECT_DOUBLE_EQ(FindModelPrice(t, "openai/gpt-5-mini")->prompt, 0.25);
  EXPECT_FALSE(FindModelPrice(t, "gpt-4o-audio").has_value());
  EXPECT_FALSE(FindModelPrice(t, "llama-3-2024-01-01").has_value());
  EXPECT_TRUE(ComputeCost("gpt-4o-2024-08-06", TokenUsage{.prompt_tokens = 1})
                  .known_model);
}

TEST(ComputeCostTest, CachedTokensAreClampedToPromptTokens) {
  const Cost cost = ComputeCost(
      "gpt-4o",
      TokenUsage{.prompt_tokens = 1'000'000, .cached_tokens = 2'000'000});
  EXPECT_DOUBLE_EQ(cost.prompt, 1.25);
}

TEST(ComputeCostTest, UnknownModelIsFreeAndFlagged) {
  const Cost cost = ComputeCost("llama-3", TokenUsage{.prompt_tokens = 10});
  EXPECT_FALSE(cost.known_model);
  EXPECT_EQ(NoKnownPriceNote(DefaultPriceTable(), "llama-3"),
            "no known price for llama-3");
  EXPECT_EQ(cost.prompt, 0);
  EXPECT_EQ(cost.completion, 0);
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

TEST(PriceTableTest, ShippedFileMatchesTheBuiltInTable) {
  std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) +
                   "/configs/model_prices.ini");
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<PriceTable> parsed = ParsePriceTable(text.str(), PriceTable{});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), DefaultPriceTable().size());
  for (const auto& [model, price] : DefaultPriceTable()) {
    ASSERT_TRUE(parsed->count(model)) << model;
    EXPECT_DOUBLE_EQ(parsed->at(model).prompt, price.prompt) << model;
    EXPECT_DOUBLE_EQ(parsed->at(model).completion, price.completion) << model;
    EXPECT_DOUBLE_EQ(parsed->at(model).cached, price.cached) << model;
  }
}

TEST(PriceTableTest, FileOverridesAndExtends) {
  absl::StatusOr<PriceTable> t = ParsePriceTable(
      "[gpt-4o]\nprompt = 5\n[my-local-model]\nprompt = 0.1\ncompletion = "
      "0.2\n",
      DefaultPriceTable());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_DOUBLE_EQ(t->at("gpt-4o").prompt, 5);
  EXPECT_DOUBLE_EQ(t->at("gpt-4o").completion, 10);  // kept from the base
  Cost c = ComputeCost(*t, "my-local-model", TokenUsage{1000000, 1000000, 0});
  EXPECT_TRUE(c.known_model);
  EXPECT_DOUBLE_EQ(c.prompt, 0.1);
  EXPECT_DOUBLE_EQ(c.completion, 0.2);
  EXPECT_FALSE(
      ComputeCost(*t, "unknown-model", TokenUsage{10, 10, 0}).known_model);
}

TEST(PriceTableTest, BadValuesNameModelAndKey) {
  absl::StatusOr<PriceTable> t =
      ParsePriceTable("[gpt-4o]\nprompt = cheap\n", {});
  ASSERT_FALSE(t.ok());
  EXPECT_NE(std::string(t.status().message()).find("[gpt-4o] prompt"),
            std::string::npos);
  t = ParsePriceTable("[gpt-4o]\nprice = 1\n", {});
  ASSERT_FALSE(t.ok());
  EXPECT_NE(std::string(t.status().message()).find("unknown key"),
            std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
