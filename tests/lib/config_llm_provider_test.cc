// [SELECTION] base_url, api_key_env and extra_headers_env: each profile's
// own LLM provider, its secrets named by environment variables only.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "lib/config/config.h"
#include "lib/config/config_report.h"
#include "lib/config/profiles.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;

absl::StatusOr<Config> FromIni(const std::string& selection) {
  absl::StatusOr<IniFile> ini = ParseIni("[SELECTION]\n" + selection +
                                         "[FILTERING]\narxiv_category = "
                                         "cs.LG\n");
  if (!ini.ok()) return ini.status();
  return ConfigFromIni(*ini);
}

std::map<std::string, std::string>* g_env = nullptr;
std::string FakeEnv(const char* name) {
  auto it = g_env->find(name);
  return it == g_env->end() ? "" : it->second;
}

bool Contains(absl::string_view text, absl::string_view part) {
  return text.find(part) != absl::string_view::npos;
}

TEST(ConfigLlmProviderTest, DefaultsAreTheEnvironmentsProvider) {
  absl::StatusOr<Config> c = FromIni("");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->selection.base_url, "");
  EXPECT_EQ(c->selection.api_key_env, "OPENAI_API_KEY");
  EXPECT_EQ(c->selection.extra_headers_env, "OPENAI_EXTRA_HEADERS");

  std::map<std::string, std::string> env = {
      {"OPENAI_API_KEY", "sk-default"},
      {"OPENAI_BASE_URL", "http://127.0.0.1:9/v1"},
      {"OPENAI_EXTRA_HEADERS", "X-Title: digest"}};
  g_env = &env;
  ASSERT_TRUE(ApplyEnvironment(&FakeEnv, c->env).ok());
  ASSERT_TRUE(ResolveLlmProvider(&FakeEnv, *c).ok());
  g_env = nullptr;
  EXPECT_EQ(c->llm.base_url, "http://127.0.0.1:9/v1");
  EXPECT_EQ(c->llm.api_key, "sk-default");
  ASSERT_EQ(c->llm.extra_headers.size(), 1u);
  EXPECT_EQ(c->llm.extra_headers[0].first, "X-Title");
}

TEST(ConfigLlmProviderTest, OwnBaseUrlKeyAndHeadersVariables) {
  absl::StatusOr<Config> c = FromIni(
      "base_url = https://openrouter.example/api/v1\n"
      "api_key_env = ROUTER_KEY\nextra_headers_env = ROUTER_HEADERS\n");
  ASSERT_TRUE(c.ok()) << c.status();
  std::map<std::string, std::string> env = {
      {"OPENAI_API_KEY", "sk-default"},
      {"ROUTER_KEY", "sk-router"},
      {"OPENAI_EXTRA_HEADERS", "X-Default: 1"},
      {"ROUTER_HEADERS", "HTTP-Referer: https://x.org; X-Title: mine"}};
  g_env = &env;
  ASSERT_TRUE(ApplyEnvironment(&FakeEnv, c->env).ok());
  ASSERT_TRUE(ResolveLlmProvider(&FakeEnv, *c).ok());
  EXPECT_EQ(c->llm.base_url, "https://openrouter.example/api/v1");
  EXPECT_EQ(c->llm.api_key, "sk-router");
  ASSERT_EQ(c->llm.extra_headers.size(), 2u);
  EXPECT_EQ(c->llm.extra_headers[0].first, "HTTP-Referer");
  EXPECT_EQ(c->llm.extra_headers[1].second, "mine");

  // An unset key variable resolves to no key: only an LLM scorer needs one
  // (services/scorer checks it, naming the profile).
  env.erase("ROUTER_KEY");
  ASSERT_TRUE(ResolveLlmProvider(&FakeEnv, *c).ok());
  EXPECT_EQ(c->llm.api_key, "");

  env["ROUTER_HEADERS"] = "no colon here";
  absl::Status s = ResolveLlmProvider(&FakeEnv, *c);
  g_env = nullptr;
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Contains(s.message(), "[SELECTION] extra_headers_env")) << s;
  EXPECT_TRUE(Contains(s.message(), "ROUTER_HEADERS")) << s;
  EXPECT_FALSE(Contains(s.message(), "no colon here")) << s;
}

TEST(ConfigLlmProviderTest, BadValuesNameTheSetting) {
  struct Case {
    const char* ini;
    const char* setting;
  } cases[] = {
      {"base_url = api.openai.com/v1\n", "[SELECTION] base_url"},
      {"base_url = ftp://llm.example/v1\n", "[SELECTION] base_url"},
      {"api_key_env = sk-proj-abc123\n", "[SELECTION] api_key_env"},
      {"api_key_env = 1KEY\n", "[SELECTION] api_key_env"},
      {"extra_headers_env = X-Title: a\n", "[SELECTION] extra_headers_env"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Config> config = FromIni(c.ini);
    ASSERT_FALSE(config.ok()) << c.ini;
    EXPECT_TRUE(Contains(config.status().message(), c.setting))
        << config.status();
  }
  // A password in the URL never reaches the message.
  absl::StatusOr<Config> config =
      FromIni("base_url = ftp://user:SECRET@llm.example/v1\n");
  ASSERT_FALSE(config.ok());
  EXPECT_FALSE(Contains(config.status().message(), "SECRET"))
      << config.status();
}

class ProviderProfilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A directory of its own: ctest runs this fixture's tests in parallel.
    dir_ = fs::path(arxiv_digest::testing::TempDir("llm_provider_profiles_")) /
           "configs";
    fs::copy(fs::path(ARXIV_DIGEST_SOURCE_DIR) / "configs", dir_,
             fs::copy_options::recursive);
    fs::remove_all(dir_ / "profiles");
  }
  void TearDown() override {
    unsetenv("ARXIV_DIGEST_TEST_AUDIO_KEY");
    fs::remove_all(dir_.parent_path());
  }
  void Write(const fs::path& rel, const std::string& text) {
    fs::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel) << text;
  }
  fs::path dir_;
};

TEST_F(ProviderProfilesTest, EachProfileResolvesItsOwnProvider) {
  Write("profiles/audio/config.ini",
        "[SELECTION]\nbase_url = http://127.0.0.1:1/audio/v1\n"
        "api_key_env = ARXIV_DIGEST_TEST_AUDIO_KEY\n");
  Write("profiles/vision/config.ini", "[SELECTION]\nmodel = gpt-4o-mini\n");
  setenv("ARXIV_DIGEST_TEST_AUDIO_KEY", "sk-audio-SECRET", 1);
  auto profiles = LoadProfiles(dir_.string());
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  const Config& def = profiles->at("default");
  const Config& audio = profiles->at("audio");
  const Config& vision = profiles->at("vision");
  EXPECT_EQ(def.llm.base_url, def.env.openai_base_url);
  EXPECT_EQ(vision.llm.base_url, def.env.openai_base_url);  // inherited
  EXPECT_EQ(vision.llm.api_key, def.llm.api_key);
  EXPECT_EQ(audio.llm.base_url, "http://127.0.0.1:1/audio/v1");
  EXPECT_EQ(audio.llm.api_key, "sk-audio-SECRET");
  EXPECT_EQ(audio.env.openai_base_url, def.env.openai_base_url);

  // --check-config: the URL and the variable's name, the key as set/unset.
  const std::string report = EffectiveSettingsReport(*profiles);
  EXPECT_FALSE(Contains(report, "SECRET")) << report;
  const size_t at = report.find("# profile audio");
  ASSERT_NE(at, std::string::npos);
  const std::string audio_block = report.substr(at);
  EXPECT_TRUE(Contains(audio_block, "base_url = http://127.0.0.1:1/audio/v1\n"))
      << audio_block;
  EXPECT_TRUE(
      Contains(audio_block,
               "api_key_env = ARXIV_DIGEST_TEST_AUDIO_KEY (set, not shown)\n"))
      << audio_block;
  EXPECT_TRUE(Contains(report, "base_url = " + def.env.openai_base_url +
                                   " (from OPENAI_BASE_URL)\n"))
      << report;
  unsetenv("ARXIV_DIGEST_TEST_AUDIO_KEY");
  profiles = LoadProfiles(dir_.string());
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  EXPECT_TRUE(Contains(EffectiveSettingsReport(*profiles),
                       "api_key_env = ARXIV_DIGEST_TEST_AUDIO_KEY (unset)\n"));
}

// Call limits are the profile's own; max_in_flight is per replica, so a
// profile's differing value is a warning naming it.
TEST_F(ProviderProfilesTest, CallLimitsPerProfileMaxInFlightPerReplica) {
  Write("profiles/audio/config.ini",
        "[SELECTION]\nllm_timeout_seconds = 7\nmax_reply_bytes = 1000\n"
        "max_tokens = 300\njson_mode = true\nsend_temperature = false\n"
        "max_in_flight = 9\n");
  auto profiles = LoadProfiles(dir_.string());
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  const SelectionConfig& def = profiles->at("default").selection;
  const Config& audio = profiles->at("audio");
  EXPECT_EQ(audio.selection.llm_timeout_seconds, 7);
  EXPECT_EQ(audio.selection.max_reply_bytes, 1000);
  EXPECT_EQ(audio.selection.max_tokens, 300);
  EXPECT_TRUE(audio.selection.json_mode);
  EXPECT_FALSE(audio.selection.send_temperature);
  EXPECT_EQ(def.llm_timeout_seconds, 120);
  bool warned = false;
  for (const std::string& w : audio.warnings) {
    warned = warned || Contains(w,
                                "profile audio: [SELECTION] max_in_flight: per "
                                "scorer replica");
  }
  EXPECT_TRUE(warned);
}

TEST_F(ProviderProfilesTest, BadBaseUrlNamesTheProfileAndSetting) {
  Write("profiles/audio/config.ini",
        "[SELECTION]\nbase_url = llm.example/v1\n");
  auto profiles = LoadProfiles(dir_.string());
  ASSERT_FALSE(profiles.ok());
  EXPECT_TRUE(Contains(profiles.status().message(),
                       "profile audio: [SELECTION] "
                       "base_url"))
      << profiles.status();
}

TEST_F(ProviderProfilesTest, BadHeadersVariableNamesTheProfileAndSetting) {
  Write("profiles/audio/config.ini",
        "[SELECTION]\nextra_headers_env = ARXIV_DIGEST_TEST_AUDIO_KEY\n");
  setenv("ARXIV_DIGEST_TEST_AUDIO_KEY", "not a header", 1);
  auto profiles = LoadProfiles(dir_.string());
  ASSERT_FALSE(profiles.ok());
  EXPECT_TRUE(Contains(profiles.status().message(),
                       "profile audio: [SELECTION] extra_headers_env"))
      << profiles.status();
}

}  // namespace
}  // namespace arxiv_digest
