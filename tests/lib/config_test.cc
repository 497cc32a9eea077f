#include "lib/config/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"

namespace arxiv_digest {
namespace {

const char kRepo[] = ARXIV_DIGEST_SOURCE_DIR;

TEST(ParseIniTest, SectionsKeysCommentsAndInlineComments) {
  absl::StatusOr<IniFile> ini = ParseIni(
      "; comment\n[SELECTION]\nModel = gpt-4o-mini ; inline\n"
      "# another\nabstract_batch_size: 7\n\n[OUTPUT]\noutput_path = out/\n");
  ASSERT_TRUE(ini.ok()) << ini.status();
  EXPECT_EQ(ini->at("SELECTION").at("model"), "gpt-4o-mini");
  EXPECT_EQ(ini->at("SELECTION").at("abstract_batch_size"), "7");
  EXPECT_EQ(ini->at("OUTPUT").at("output_path"), "out/");
}

TEST(ParseIniTest, SettingOutsideSectionIsAnError) {
  absl::StatusOr<IniFile> ini = ParseIni("model = x\n");
  ASSERT_FALSE(ini.ok());
  EXPECT_NE(ini.status().message().find("line 1"), std::string::npos);
}

TEST(ConfigFromIniTest, ReadsThePythonToolSettings) {
  absl::StatusOr<IniFile> ini = ParseIni(
      "[SELECTION]\nmodel = gpt-4o\nabstract_batch_size = 9\nabstract_retry = "
      "2\nlimit_per_minute = 30\nrun_author_match = yes\nauthor_match_score = "
      "15.5\n[FILTERING]\narxiv_category = cs.LG, cs.CL ,stat.ML\n"
      "announce_type = new,cross,replace\nforce_primary = false\n"
      "relevance_cutoff = 6\nnovelty_cutoff = 5\n[OUTPUT]\noutput_path = "
      "digests/\ndump_json = false\ndump_md = true\npush_to_slack = off\n");
  ASSERT_TRUE(ini.ok());
  absl::StatusOr<Config> c = ConfigFromIni(*ini);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->selection.abstract_batch_size, 9);
  EXPECT_EQ(c->selection.abstract_retry, 2);
  EXPECT_EQ(c->selection.limit_per_minute, 30);
  EXPECT_TRUE(c->selection.run_author_match);
  EXPECT_DOUBLE_EQ(c->selection.author_match_score, 15.5);
  EXPECT_EQ(c->filtering.arxiv_categories,
            (std::vector<std::string>{"cs.LG", "cs.CL", "stat.ML"}));
  EXPECT_EQ(c->filtering.announce_types,
            (std::vector<std::string>{"new", "cross", "replace"}));
  EXPECT_FALSE(c->filtering.force_primary);
  EXPECT_EQ(c->filtering.relevance_cutoff, 6);
  EXPECT_EQ(c->filtering.novelty_cutoff, 5);
  EXPECT_EQ(c->output.output_path, "digests/");
  EXPECT_FALSE(c->output.dump_json);
  EXPECT_FALSE(c->output.push_to_slack);
}

TEST(ConfigFromIniTest, DefaultAnnounceTypesAreNewAndCross) {
  absl::StatusOr<Config> c =
      ConfigFromIni(*ParseIni("[FILTERING]\narxiv_category = cs.LG\n"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->filtering.announce_types,
            (std::vector<std::string>{"new", "cross"}));
}

// Every bad value stops with a message naming the setting.
TEST(ConfigFromIniTest, BadValuesNameTheSetting) {
  const std::map<std::string, std::string> cases = {
      {"[SELECTION]\nabstract_batch_size = many\n[FILTERING]\narxiv_category=a",
       "[SELECTION] abstract_batch_size"},
      {"[SELECTION]\nabstract_batch_size = 0\n[FILTERING]\narxiv_category=a",
       "[SELECTION] abstract_batch_size"},
      {"[SELECTION]\nrun_author_match = maybe\n[FILTERING]\narxiv_category=a",
       "[SELECTION] run_author_match"},
      {"[FILTERING]\narxiv_category =\n", "[FILTERING] arxiv_category"},
      {"[FILTERING]\narxiv_category = cs.LG\nannounce_type = new,weird\n",
       "[FILTERING] announce_type"},
      {"[FILTERING]\narxiv_category = cs.LG\nrelevance_cutoff = high\n",
       "[FILTERING] relevance_cutoff"},
      {"[FILTERING]\narxiv_category = cs.LG\n[OUTPUT]\ndump_md = sometimes\n",
       "[OUTPUT] dump_md"},
  };
  for (const auto& [text, setting] : cases) {
    absl::StatusOr<IniFile> ini = ParseIni(text);
    ASSERT_TRUE(ini.ok()) << text;
    absl::StatusOr<Config> c = ConfigFromIni(*ini);
    ASSERT_FALSE(c.ok()) << text;
    EXPECT_NE(c.status().message().find(setting), std::string::npos)
        << c.status().message();
  }
}

TEST(ParseAuthorsTest, NameIdLinesAndComments) {
  std::vector<FollowedAuthor> a = ParseAuthors(
      "# followed\nYoshua Bengio, 1751762\n\n  Geoffrey Hinton ,"
      "1695689\nNo Id Person\n");
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].name, "Yoshua Bengio");
  EXPECT_EQ(a[0].id, "1751762");
  EXPECT_EQ(a[1].name, "Geoffrey Hinton");
  EXPECT_EQ(a[1].id, "1695689");
  EXPECT_EQ(a[2].name, "No Id Person");
  EXPECT_EQ(a[2].id, "");
}

std::map<std::string, std::string>* g_env = nullptr;
std::string FakeEnv(const char* name) {
  auto it = g_env->find(name);
  return it == g_env->end() ? "" : it->second;
}

TEST(ApplyEnvironmentTest, OverridesAndValidates) {
  std::map<std::string, std::string> env = {
      {"OPENAI_API_KEY", "sk-test"},
      {"OPENAI_BASE_URL", "http://127.0.0.1:9/v1"},
      {"REDIS_URL", "redis://10.0.0.1:6380/2"},
      {"ARXIV_RSS_URL", "file:///tmp/feeds/"},
      {"OPENAI_EXTRA_HEADERS",
       "HTTP-Referer: https://x.org ; X-Title: digest"}};
  g_env = &env;
  EnvironmentConfig e;
  ASSERT_TRUE(ApplyEnvironment(&FakeEnv, e).ok());
  EXPECT_EQ(e.openai_api_key, "sk-test");
  EXPECT_EQ(e.openai_base_url, "http://127.0.0.1:9/v1");
  EXPECT_EQ(e.redis_url, "redis://10.0.0.1:6380/2");
  EXPECT_EQ(e.arxiv_rss_url, "file:///tmp/feeds/");
  ASSERT_EQ(e.openai_extra_headers.size(), 2u);
  EXPECT_EQ(e.openai_extra_headers[0].first, "HTTP-Referer");
  EXPECT_EQ(e.openai_extra_headers[0].second, "https://x.org");
  EXPECT_EQ(e.openai_extra_headers[1].second, "digest");

  env = {{"REDIS_URL", "localhost:6379"}};
  EnvironmentConfig bad;
  absl::Status s = ApplyEnvironment(&FakeEnv, bad);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("REDIS_URL"), std::string::npos);

  env = {{"OPENAI_BASE_URL", "api.openai.com"}};
  EnvironmentConfig bad2;
  s = ApplyEnvironment(&FakeEnv, bad2);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("OPENAI_BASE_URL"), std::string::npos);

  env = {{"OPENAI_EXTRA_HEADERS", "no colon here"}};
  EnvironmentConfig bad3;
  s = ApplyEnvironment(&FakeEnv, bad3);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("OPENAI_EXTRA_HEADERS"), std::string::npos);
  g_env = nullptr;
}

// [FETCHER]: defaults when absent, values when set, errors name the setting.
TEST(ConfigFromIniTest, FetcherSection) {
  absl::StatusOr<Config> d =
      ConfigFromIni(*ParseIni("[FILTERING]\narxiv_category = cs.LG\n"));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->fetcher.seen_ttl_days, 30);
  EXPECT_EQ(d->fetcher.contact, "");
  EXPECT_EQ(d->fetcher.min_request_interval_ms, 3000);
  EXPECT_EQ(d->fetcher.max_retries, 4);
  EXPECT_EQ(d->fetcher.request_timeout_seconds, 60);
  EXPECT_EQ(d->fetcher.lock_ttl_seconds, 600);

  absl::StatusOr<Config> c = ConfigFromIni(*ParseIni(
      "[FILTERING]\narxiv_category = cs.LG\n[FETCHER]\nseen_ttl_days = 7\n"
      "contact = digest@example.org\nmin_request_interval_ms = 0\n"
      "max_retries = 0\nrequest_timeout_seconds = 5\nlock_ttl_seconds = 90\n"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->fetcher.seen_ttl_days, 7);
  EXPECT_EQ(c->fetcher.contact, "digest@example.org");
  EXPECT_EQ(c->fetcher.min_request_interval_ms, 0);
  EXPECT_EQ(c->fetcher.max_retries, 0);
  EXPECT_EQ(c->fetcher.request_timeout_seconds, 5);
  EXPECT_EQ(c->fetcher.lock_ttl_seconds, 90);

  const std::map<std::string, std::string> bad = {
      {"seen_ttl_days = 0", "[FETCHER] seen_ttl_days"},
      {"seen_ttl_days = month", "[FETCHER] seen_ttl_days"},
      {"min_request_interval_ms = -1", "[FETCHER] min_request_interval_ms"},
      {"max_retries = lots", "[FETCHER] max_retries"},
      {"request_timeout_seconds = 0", "[FETCHER] request_timeout_seconds"},
      {"lock_ttl_seconds = x", "[FETCHER] lock_ttl_seconds"},
  };
  for (const auto& [line, setting] : bad) {
    absl::StatusOr<Config> e = ConfigFromIni(*ParseIni(
        "[FILTERING]\narxiv_category = cs.LG\n[FETCHER]\n" + line + "\n"));
    ASSERT_FALSE(e.ok()) << line;
    EXPECT_NE(e.status().message().find(setting), std::string::npos)
        << e.status().message();
  }
  IniFile ini = *ParseIni("[FILTERING]\narxiv_category = cs.LG\n");
  ini["FETCHER"]["contact"] = "a@b.c\r\nX-Injected: 1";
  absl::StatusOr<Config> injected = ConfigFromIni(ini);
  ASSERT_FALSE(injected.ok());
  EXPECT_NE(injected.status().message().find("[FETCHER] contact"),
            std::string::npos);
}

TEST(ApplyEnvironmentTest, BackfillEndpoints) {
  EnvironmentConfig defaults;
  EXPECT_EQ(defaults.arxiv_api_url, "https://export.arxiv.org/api/query");
  EXPECT_EQ(defaults.arxiv_oai_url, "https://oaipmh.arxiv.org/oai");
  std::map<std::string, std::string> env = {
      {"ARXIV_API_URL", "http://127.0.0.1:1/api/query"},
      {"ARXIV_OAI_URL", "http://127.0.0.1:1/oai"}};
  g_env = &env;
  EnvironmentConfig e;
  ASSERT_TRUE(ApplyEnvironment(&FakeEnv, e).ok());
  EXPECT_EQ(e.arxiv_api_url, "http://127.0.0.1:1/api/query");
  EXPECT_EQ(e.arxiv_oai_url, "http://127.0.0.1:1/oai");
  env = {{"ARXIV_OAI_URL", "oaipmh.arxiv.org/oai"}};
  EnvironmentConfig bad;
  absl::Status s = ApplyEnvironment(&FakeEnv, bad);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("ARXIV_OAI_URL"), std::string::npos);
  g_env = nullptr;
}

TEST(ApplyEnvironmentTest, PasswordsInUrlsNeverReachTheMessage) {
  std::map<std::string, std::string> env = {
      {"REDIS_URL", "rediss://:hunter2-redis@cache.example:6380"}};
  g_env = &env;
  EnvironmentConfig e;
  absl::Status s = ApplyEnvironment(&FakeEnv, e);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().find("hunter2"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("rediss://:***@cache.example:6380"),
            std::string::npos)
      << s.message();
  // TLS is the stunnel sidecar's job; the message says how.
  EXPECT_NE(s.message().find("stunnel"), std::string::npos) << s.message();

  env = {{"REDIS_URL", "tcp://admin:hunter2-redis@cache.example"}};
  EnvironmentConfig e2;
  s = ApplyEnvironment(&FakeEnv, e2);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().find("hunter2"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("tcp://admin:***@cache.example"),
            std::string::npos)
      << s.message();

  env = {{"OPENAI_API_KEY", "sk-live-abcdef"},
         {"OPENAI_BASE_URL", "ftp://proxy:pw-abcdef@gw.example/v1"}};
  EnvironmentConfig e3;
  s = ApplyEnvironment(&FakeEnv, e3);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().find("abcdef"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("OPENAI_BASE_URL"), std::string::npos);
  g_env = nullptr;
}

// -1 is the seed tool's "no limit" for the rate limits (accepted, see
// config_seed_compat_test.cc); below that every limit is refused.
TEST(ConfigFromIniTest, NegativeLimitsAreRefusedNamingTheSetting) {
  for (const char* setting :
       {"limit_per_minute", "tokens_per_minute", "max_tokens", "abstract_retry",
        "score_cache_ttl_days"}) {
    absl::StatusOr<IniFile> ini =
        ParseIni(absl::StrCat("[SELECTION]\n", setting,
                              " = -2\n[FILTERING]\narxiv_category = cs.LG\n"));
    ASSERT_TRUE(ini.ok()) << setting;
    absl::StatusOr<Config> c = ConfigFromIni(*ini);
    ASSERT_FALSE(c.ok()) << setting;
    EXPECT_NE(c.status().message().find(absl::StrCat("[SELECTION] ", setting)),
              std::string::npos)
        << c.status().message();
  }
  for (const char* setting : {"min_request_interval_ms", "max_retries"}) {
    absl::StatusOr<Config> c = ConfigFromIni(*ParseIni(
        absl::StrCat("[FILTERING]\narxiv_category = cs.LG\n[FETCHER]\n",
                     setting, " = -5\n")));
    ASSERT_FALSE(c.ok()) << setting;
    EXPECT_NE(c.status().message().find(absl::StrCat("[FETCHER] ", setting)),
              std::string::npos)
        << c.status().message();
  }
}

TEST(LoadConfigTest, ShippedDefaultConfigLoads) {
  absl::StatusOr<Config> c = LoadConfig(std::string(kRepo) + "/configs");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->selection.model, "gpt-4o");
  EXPECT_EQ(c->filtering.relevance_cutoff, 8);
  EXPECT_EQ(c->filtering.novelty_cutoff, 7);
  EXPECT_EQ(c->prompts.base.rfind("You are a helpful paper reading", 0), 0u);
  EXPECT_EQ(c->prompts.postfix.rfind("## Instructions", 0), 0u);
  EXPECT_EQ(c->prompts.score_criteria.rfind("## Scoring Criteria", 0), 0u);
  EXPECT_EQ(c->prompts.topics.rfind("## Relevant Topics", 0), 0u);
  EXPECT_NE(c->prompts.topics.back(), '\n');
}

TEST(LoadConfigTest, MissingFileIsNamed) {
  std::string dir = ::testing::TempDir() + "/config_missing";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/config.ini") << "[FILTERING]\narxiv_category=cs.LG\n";
  absl::StatusOr<Config> c = LoadConfig(dir);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("base_prompt.txt"), std::string::npos)
      << c.status();
  absl::StatusOr<Config> none = LoadConfig(dir + "/nope");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("config.ini"), std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
