// --check-config's text: every effective setting per profile, no secrets.
#include "lib/config/config_report.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "lib/config/config.h"
#include "lib/config/profiles.h"

namespace arxiv_digest {
namespace {

const std::string kTatsu =
    std::string(ARXIV_DIGEST_SOURCE_DIR) +
    "/tests/fixtures/anchor-configs/tatsu-lab-gpt_paper_assistant/configs";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ConfigReportTest, ShowsEffectiveValuesAfterAliasesAndLimits) {
  absl::StatusOr<std::map<std::string, Config>> profiles = LoadProfiles(kTatsu);
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  const std::string report = EffectiveSettingsReport(*profiles);
  for (const char* line : {"# profile default",
                           "[SELECTION]\nmodel = gpt-4-1106-preview\n",
                           "abstract_batch_size = 5\n",
                           "limit_per_minute = 0 (no limit)\n",
                           "run_author_match = true\n",
                           "author_match_score = 15\n",
                           "cache_friendly_prompt = false\n",
                           "[FILTERING]\n",
                           "arxiv_category = cs.CL\n",
                           "h_cutoff = 15\n",
                           "relevance_cutoff = 3\n",
                           "push_to_slack = true\n",
                           "[FETCHER]\n",
                           "backfill_missing = true\n",
                           "backfill_lookback_days = 14\n",
                           "[RETENTION]\n",
                           "[DELIVERY]\n",
                           "smtp_security = starttls\n",
                           "layout = tatsu",
                           "score_criteria = (none)\n",
                           "followed_authors = 8\n",
                           "[ENVIRONMENT]\n",
                           "# warning: [OUTPUT] debug_messages"}) {
    EXPECT_TRUE(Contains(report, line)) << line << "\n---\n" << report;
  }
  EXPECT_EQ(report.back(), '\n');
}

TEST(ConfigReportTest, NeverPrintsSecrets) {
  Config c;
  c.env.openai_api_key = "sk-live-SECRET1";
  c.env.redis_url = "redis://:SECRET2@cache:6379/0";
  c.env.openai_base_url = "https://user:SECRET3@proxy.example/v1";
  c.env.openai_extra_headers = {{"api-key", "SECRET4"}};
  c.delivery.digest_base_url = "https://reader:SECRET5@digest.example";
  const std::string report = EffectiveSettingsReport({{"default", c}});
  EXPECT_FALSE(Contains(report, "SECRET")) << report;
  EXPECT_TRUE(Contains(report, "OPENAI_API_KEY = (set, not shown)\n"));
  EXPECT_TRUE(Contains(report, "OPENAI_EXTRA_HEADERS = api-key (values"));
  EXPECT_TRUE(Contains(report, "REDIS_URL = redis://:***@cache:6379/0\n"))
      << report;
  Config unset;
  EXPECT_TRUE(Contains(EffectiveSettingsReport({{"default", unset}}),
                       "OPENAI_API_KEY = (unset)\n"));
}

TEST(ConfigReportTest, DefaultProfileFirstThenOthersByName) {
  Config a;
  a.selection.model = "model-a";
  Config d;
  d.selection.model = "model-d";
  Config z;
  z.selection.model = "model-z";
  const std::string report =
      EffectiveSettingsReport({{"alpha", a}, {"default", d}, {"zeta", z}});
  const size_t pd = report.find("# profile default");
  const size_t pa = report.find("# profile alpha");
  const size_t pz = report.find("# profile zeta");
  ASSERT_NE(pd, std::string::npos);
  ASSERT_NE(pa, std::string::npos);
  ASSERT_NE(pz, std::string::npos);
  EXPECT_LT(pd, pa);
  EXPECT_LT(pa, pz);
  EXPECT_LT(report.find("model = model-d"), report.find("model = model-a"));
}

}  // namespace
}  // namespace arxiv_digest
