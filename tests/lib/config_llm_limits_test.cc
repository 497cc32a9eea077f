// [SELECTION] max_reply_bytes and llm_timeout_seconds: the hard limits of
// one LLM call (issue 12).
#include <gtest/gtest.h>

#include <string>

#include "lib/config/config.h"

namespace arxiv_digest {
namespace {

// [FILTERING] needs a category; the rest may stay at the defaults.
absl::StatusOr<Config> FromIni(const std::string& selection) {
  absl::StatusOr<IniFile> ini =
      ParseIni(selection + "[FILTERING]\narxiv_category = cs.LG\n");
  if (!ini.ok()) return ini.status();
  return ConfigFromIni(*ini);
}

TEST(ConfigLlmLimitsTest, Defaults) {
  absl::StatusOr<Config> config = FromIni("[SELECTION]\nmodel = m\n");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->selection.max_reply_bytes, 4194304);
  EXPECT_EQ(config->selection.llm_timeout_seconds, 120);
}

TEST(ConfigLlmLimitsTest, ReadsBothKeys) {
  absl::StatusOr<Config> config = FromIni(
      "[SELECTION]\nmax_reply_bytes = 1000\nllm_timeout_seconds = 30\n");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->selection.max_reply_bytes, 1000);
  EXPECT_EQ(config->selection.llm_timeout_seconds, 30);
}

// Zero or negative would turn the limit off or make every call fail.
TEST(ConfigLlmLimitsTest, MustBePositive) {
  for (const char* text : {"[SELECTION]\nmax_reply_bytes = 0\n",
                           "[SELECTION]\nmax_reply_bytes = -1\n",
                           "[SELECTION]\nllm_timeout_seconds = 0\n",
                           "[SELECTION]\nllm_timeout_seconds = -5\n",
                           "[SELECTION]\nllm_timeout_seconds = soon\n"}) {
    absl::StatusOr<Config> config = FromIni(text);
    ASSERT_FALSE(config.ok()) << text;
    EXPECT_NE(config.status().message().find("[SELECTION]"), std::string::npos)
        << config.status();
  }
}

}  // namespace
}  // namespace arxiv_digest
