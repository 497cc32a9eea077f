// The keys ConfigFromIni accepts (AcceptedConfigKeys) against the two other
// places that list them: --check-config's report and README.md. They drifted
// before ([FETCHER] backfill_* parsed but not reported).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "lib/config/config.h"
#include "lib/config/config_report.h"

namespace arxiv_digest {
namespace {

std::map<ConfigKey, ConfigKeyUse> Accepted() {
  absl::StatusOr<std::map<ConfigKey, ConfigKeyUse>> keys = AcceptedConfigKeys();
  EXPECT_TRUE(keys.ok()) << keys.status();
  return keys.ok() ? *keys : std::map<ConfigKey, ConfigKeyUse>();
}

std::string Join(const std::vector<ConfigKey>& keys) {
  return absl::StrJoin(keys, ", ", [](std::string* out, const ConfigKey& k) {
    absl::StrAppend(out, "[", k.first, "] ", k.second);
  });
}

// The (section, key) pairs of "[SECTION]" headers and "key = value" lines.
std::set<ConfigKey> ReportedKeys(const std::string& report) {
  std::set<ConfigKey> keys;
  std::string section;
  for (absl::string_view line : absl::StrSplit(report, '\n')) {
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = std::string(line.substr(1, line.size() - 2));
      continue;
    }
    size_t eq = line.find(" =");
    if (eq != absl::string_view::npos) {
      keys.emplace(section, std::string(line.substr(0, eq)));
    }
  }
  return keys;
}

TEST(ConfigKeysTest, RecordsHowTheParserUsesEachKey) {
  const std::map<ConfigKey, ConfigKeyUse> keys = Accepted();
  const std::map<ConfigKey, ConfigKeyUse> expected = {
      {{"SELECTION", "model"}, ConfigKeyUse::kSetting},
      {{"SELECTION", "batch_size"}, ConfigKeyUse::kAlias},
      {{"FILTERING", "author_match"}, ConfigKeyUse::kAlias},
      {{"FILTERING", "hcutoff"}, ConfigKeyUse::kAlias},
      {{"FILTERING", "num_samples"}, ConfigKeyUse::kNoEffect},
      {{"OUTPUT", "debug_messages"}, ConfigKeyUse::kNoEffect},
      {{"OUTPUT", "dump_debug_file"}, ConfigKeyUse::kNoEffect},
      // Late reads, after most checks: the parse got to the end.
      {{"SELECTION", "extra_headers_env"}, ConfigKeyUse::kSetting},
      {{"FETCHER", "backfill_lookback_days"}, ConfigKeyUse::kSetting},
      {{"DELIVERY", "notify_empty"}, ConfigKeyUse::kSetting},
      {{"OUTPUT", "layout"}, ConfigKeyUse::kSetting}};
  for (const auto& [key, use] : expected) {
    auto it = keys.find(key);
    ASSERT_NE(it, keys.end()) << Join({key});
    EXPECT_EQ(it->second, use) << Join({key});
  }
  // The six keys above are the only ones that are not settings of their own.
  std::vector<ConfigKey> not_settings;
  for (const auto& [key, use] : keys) {
    if (use != ConfigKeyUse::kSetting) not_settings.push_back(key);
  }
  EXPECT_EQ(Join(not_settings),
            "[FILTERING] author_match, [FILTERING] hcutoff, [FILTERING] "
            "num_samples, [OUTPUT] debug_messages, [OUTPUT] dump_debug_file, "
            "[SELECTION] batch_size");
}

TEST(ConfigKeysTest, CheckConfigReportsEverySetting) {
  const std::set<ConfigKey> reported =
      ReportedKeys(EffectiveSettingsReport({{"default", Config()}}));
  std::vector<ConfigKey> missing;
  for (const auto& [key, use] : Accepted()) {
    // Aliases print under their setting's name; no-effect keys not at all.
    if (use == ConfigKeyUse::kSetting && reported.count(key) == 0) {
      missing.push_back(key);
    }
  }
  EXPECT_TRUE(missing.empty()) << "parsed but missing from --check-config "
                                  "(lib/config/config_report.cc): "
                               << Join(missing);
}

// The README's "## Configuration" part, where the key tables are.
std::string ReadmeConfiguration() {
  std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) + "/README.md");
  std::ostringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  size_t begin = readme.find("\n## Configuration");
  if (begin == std::string::npos) return "";
  size_t end = readme.find("\n## ", begin + 1);
  return readme.substr(begin, end == std::string::npos ? end : end - begin);
}

TEST(ConfigKeysTest, ReadmeMentionsEveryAcceptedKey) {
  const std::string readme = ReadmeConfiguration();
  ASSERT_FALSE(readme.empty()) << "README.md has no '## Configuration'";
  // No allow-list: every key, aliases and no-effect ones included, is
  // documented. A mention is `key` or the table's `[SECTION] key`.
  std::vector<ConfigKey> missing;
  for (const auto& [key, use] : Accepted()) {
    const std::string& name = key.second;
    if (readme.find(absl::StrCat("`", name, "`")) == std::string::npos &&
        readme.find(absl::StrCat("] ", name, "`")) == std::string::npos) {
      missing.push_back(key);
    }
  }
  EXPECT_TRUE(missing.empty())
      << "accepted but not in README.md's Configuration: " << Join(missing);
}

}  // namespace
}  // namespace arxiv_digest
