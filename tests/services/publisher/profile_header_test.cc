// The digest header of a profile's run states the model actually called and
// the tokens billed for that run, priced with that model; a profile whose
// model has no price is named at startup.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "lib/json/json_util.h"
#include "services/publisher/logic/digest_assembly.h"
#include "services/publisher/logic/pricing.h"
#include "services/publisher/logic/publish_run.h"

namespace arxiv_digest {
namespace {

DigestInputs MiniRun(const Config& config) {
  DigestInputs in;
  in.run.run_id = "2025-04-08-p0000abcd";
  in.run.status = "fetched";
  in.run.date = "2025-04-08";
  in.run.profile = "mini";
  in.run.model = "gpt-4o";  // what an older scorer claimed
  in.run.total_papers = 23;
  in.run.scanned_papers = 20;
  in.profile = "mini";
  in.config = &config;
  return in;
}

std::string Usage(int64_t prompt, int64_t completion, const char* model) {
  return UsageToJson(TokenUsage{prompt, completion, 0},
                     model == nullptr ? "" : model);
}

TEST(ProfileHeaderTest, UsageRecordsNameTheModelThatWasBilled) {
  Config config;
  config.selection.model = "gpt-4o-mini";
  DigestInputs in = MiniRun(config);
  in.records.usage["1-0#0"] = Usage(1000000, 0, "gpt-4o-mini");
  in.records.usage["1-0#1"] = Usage(1000000, 1000000, "gpt-4o-mini");
  in.records.usage["2-0#0"] = Usage(10, 10, "gpt-4o");
  absl::StatusOr<AssembledDigest> d = AssembleDigest(in);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->model, "gpt-4o-mini");
  EXPECT_EQ(d->usage.prompt_tokens, 2000010);
  EXPECT_EQ(d->usage.completion_tokens, 1000010);
  EXPECT_TRUE(d->cost.known_model);
  // gpt-4o-mini: $0.15 / $0.60 per 1M prompt / completion tokens.
  EXPECT_NEAR(d->cost.prompt, 0.15 * 2.00001, 1e-9);
  EXPECT_NEAR(d->cost.completion, 0.6 * 1.00001, 1e-9);
  EXPECT_NE(d->digest.markdown.find("gpt-4o-mini"), std::string::npos);
}

TEST(ProfileHeaderTest, WithoutModelInUsageTheScorersModelIsShown) {
  Config config;
  config.selection.model = "gpt-4o-mini";
  DigestInputs in = MiniRun(config);
  in.run.model = "gpt-4o-mini";
  in.records.usage["1-0#0"] = Usage(400, 100, nullptr);
  absl::StatusOr<AssembledDigest> d = AssembleDigest(in);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->model, "gpt-4o-mini");
  EXPECT_EQ(d->usage.prompt_tokens, 400);
  in.run.model.clear();  // no LLM call at all: the profile's setting
  in.records.usage.clear();
  d = AssembleDigest(in);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->model, "gpt-4o-mini");
}

TEST(ProfileHeaderTest, UnpricedProfileModelIsNamedWithItsSetting) {
  std::map<std::string, Config> profiles;
  profiles["default"] = Config();
  profiles["local"].selection.model = "llama3.1:8b";
  std::vector<std::string> w =
      UnpricedProfileModels(profiles, DefaultPriceTable());
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("profile 'local'"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find("[SELECTION] model"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find("llama3.1:8b"), std::string::npos) << w[0];
  Config local = profiles["local"];
  DigestInputs in = MiniRun(local);
  in.run.model.clear();
  in.records.usage["1-0#0"] = Usage(400, 100, "llama3.1:8b");
  absl::StatusOr<AssembledDigest> d = AssembleDigest(in);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_FALSE(d->cost.known_model);
  EXPECT_NE(d->digest.markdown.find("no known price"), std::string::npos);
}

TEST(ProfileHeaderTest, UnpricedModelIsAStartupErrorUntilPricedAtZero) {
  std::map<std::string, Config> profiles;
  profiles["default"] = Config();
  profiles["local"].selection.model = "llama3.1:8b";
  absl::Status s = RequirePricedModels(profiles, DefaultPriceTable());
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("profile 'local': [SELECTION] model"),
            std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("[llama3.1:8b] section"), std::string::npos)
      << s.message();
  // The remedy the message gives: a self-hosted model priced at zero.
  absl::StatusOr<PriceTable> prices =
      ParsePriceTable("[llama3.1:8b]\nprompt = 0\ncompletion = 0\ncached = 0\n",
                      DefaultPriceTable());
  ASSERT_TRUE(prices.ok()) << prices.status();
  EXPECT_TRUE(RequirePricedModels(profiles, *prices).ok());
  profiles.erase("local");
  EXPECT_TRUE(RequirePricedModels(profiles, DefaultPriceTable()).ok());
}

}  // namespace
}  // namespace arxiv_digest
