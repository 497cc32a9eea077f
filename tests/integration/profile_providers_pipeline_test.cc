// Every reader's provider honoured, end to end on the real day 2025-04-08
// with the real binaries (fetcher --once, a scorer, the publisher): the
// default reader calls provider A (OPENAI_BASE_URL, OPENAI_API_KEY,
// OPENAI_EXTRA_HEADERS) with gpt-4o in batches of 5; the profile "audio"
// calls provider B ([SELECTION] base_url, api_key_env, extra_headers_env)
// with gpt-4o-mini in batches of 2. Each provider is an OpenAI stub with
// its own key (a wrong key is refused with 401) behind a recording proxy,
// so the test sees which key, headers, model and batch each call carried.
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "lib/redis/redis_client.h"
#include "tests/support/digest_expectations.h"
#include "tests/support/feed_server.h"
#include "tests/support/openai_stub.h"
#include "tests/support/recording_llm_proxy.h"
#include "tests/support/redis_and_feeds.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_processes.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_configs.h"

namespace arxiv_digest::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

constexpr char kSampleDir[] = ARXIV_DIGEST_SOURCE_DIR "/data/sample/2025-04-08";
constexpr char kMainFeed[] = "cs.CL+cs.CV+cs.MM+cs.LG+cs.SI";
constexpr char kAudioFeed[] = "cs.SD+eess.AS";

// What one provider saw.
struct Seen {
  std::set<std::string> models, authorizations, readers, ids;
  size_t max_batch = 0, full_batches = 0;
  int64_t probes = 0, scoring_calls = 0;
};
Seen Summarise(const std::vector<LlmCall>& calls, size_t batch) {
  Seen s;
  for (const LlmCall& c : calls) {
    if (c.model.empty()) {
      ++s.probes;  // the start-up probe's empty chat request
      continue;
    }
    ++s.scoring_calls;
    s.models.insert(c.model);
    s.authorizations.insert(c.authorization);
    s.readers.insert(c.reader);
    s.ids.insert(c.ids.begin(), c.ids.end());
    s.max_batch = std::max(s.max_batch, c.ids.size());
    if (c.ids.size() == batch) ++s.full_batches;
  }
  return s;
}

class ProfileProvidersPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ServicesBuilt({"fetcher", "scorer", "publisher"}));
    work_ = TempDir("providers-");
    out_ = work_ + "/out";
    fs::create_directories(out_);
    fs::create_directories(work_ + "/logs");
    TestConfigOptions options;
    options.output_path = out_;
    configs_ = WriteTestConfigs(options);
    WriteTextFile(
        configs_ + "/config.ini",
        absl::StrCat("[SELECTION]\nmodel = gpt-4o\n"
                     "abstract_batch_size = 5\nrun_author_match = "
                     "false\nscore_cache_ttl_days = 0\n"
                     "max_in_flight = 2\n\n[FILTERING]\n"
                     "arxiv_category = ",
                     kMainFeed,
                     "\nannounce_type = new,cross\nrelevance_cutoff = "
                     "7\nnovelty_cutoff = 6\n\n[OUTPUT]\noutput_path = ",
                     out_, "\n"));
    // The audio reader: its own provider, key, headers, model and batches.
    WriteTextFile(configs_ + "/profiles/audio/config.ini",
                  absl::StrCat("[SELECTION]\nmodel = gpt-4o-mini\n"
                               "abstract_batch_size = 2\nbase_url = ",
                               "PROVIDER_B_URL",
                               "\napi_key_env = AUDIO_LLM_KEY\n"
                               "extra_headers_env = AUDIO_LLM_HEADERS\n\n"
                               "[FILTERING]\narxiv_category = ",
                               kAudioFeed, "\nannounce_type = new\n"));

    auto servers = StartRedisAndFeeds(kSampleDir);
    ASSERT_TRUE(servers.ok()) << servers.status();
    redis_ = std::move(servers->redis);
    feeds_ = std::move(servers->feeds);
    for (const char* key : {"key-provider-a", "key-provider-b"}) {
      auto stub = OpenAiStub::Start({.api_key = key});
      ASSERT_TRUE(stub.ok()) << stub.status();
      proxies_.push_back(std::make_unique<RecordingLlmProxy>((*stub)->port()));
      ASSERT_TRUE(proxies_.back()->Start().ok());
      stubs_.push_back(std::move(*stub));
    }
    // Now that provider B's address is known.
    std::string audio =
        ReadFileOrEmpty(configs_ + "/profiles/audio/config.ini");
    audio.replace(audio.find("PROVIDER_B_URL"), 14, proxies_[1]->base_url());
    WriteTextFile(configs_ + "/profiles/audio/config.ini", audio);
    std::map<std::string, std::string> env =
        StandardServiceEnv(redis_->url(), stubs_[0]->api_key(),
                           proxies_[0]->base_url(), feeds_->base_url());
    env.insert({{"OPENAI_EXTRA_HEADERS", "X-Reader: default"},
                {"AUDIO_LLM_KEY", stubs_[1]->api_key()},
                {"AUDIO_LLM_HEADERS", "X-Reader: audio"},
                {"SCORER_BACKEND", ""}});
    services_ = ServiceProcesses(
        {.configs = configs_, .log_dir = work_ + "/logs", .env = env});
  }

  void TearDown() override {
    if (HasFailure()) services_.ReportFailure(work_);
    services_.Clear();
    proxies_.clear();
    stubs_.clear();
    feeds_.reset();
    redis_.reset();
    RemoveTree(configs_);
    if (!HasFailure()) RemoveTree(work_);
  }

  // An empty value in `env_override` unsets the variable.
  Subprocess* Start(const std::string& service, std::vector<std::string> extra,
                    std::map<std::string, std::string> env_override = {}) {
    return services_.Start({.service = service,
                            .args = std::move(extra),
                            .env = std::move(env_override)});
  }

  std::string work_, out_, configs_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<FeedServer> feeds_;
  std::vector<std::unique_ptr<OpenAiStub>> stubs_;
  std::vector<std::unique_ptr<RecordingLlmProxy>> proxies_;
  ServiceProcesses services_;
};

TEST_F(ProfileProvidersPipelineTest, EachReaderCallsItsOwnProvider) {
  const std::set<std::string> main_ids =
      KeptIds(ExpectedFromFeeds(kSampleDir, {kMainFeed}, {"new", "cross"}));
  const std::set<std::string> audio_ids =
      KeptIds(ExpectedFromFeeds(kSampleDir, {kAudioFeed}, {"new"}));
  ASSERT_GT(main_ids.size(), 100u);
  ASSERT_GT(audio_ids.size(), 3u);

  // The probe (fail mode) checks both providers with their own keys first.
  Subprocess* publisher = Start("publisher", {"--output-path", out_});
  Subprocess* scorer =
      Start("scorer", {"--consumer", "scorer-a", "--probe-llm", "fail"});
  ASSERT_TRUE(publisher && scorer);
  Subprocess* fetcher = Start("fetcher", {"--once"});
  ASSERT_NE(fetcher, nullptr);
  ASSERT_EQ(fetcher->WaitFor(seconds(60)), 0) << fetcher->Describe();
  const std::string daily = StdoutValue(*fetcher, "run_id");
  ASSERT_FALSE(daily.empty());
  auto client = RedisClient::Connect(redis_->port());
  ASSERT_TRUE(client.ok());
  auto children = client->HGetAll("arxiv:run:" + daily + ":profile-runs");
  ASSERT_TRUE(children.ok());
  ASSERT_EQ(children->count("audio"), 1u);
  std::map<std::string, std::string> run =
      WaitForRunStatus(redis_->port(), daily, seconds(120));
  std::map<std::string, std::string> run_audio =
      WaitForRunStatus(redis_->port(), children->at("audio"), seconds(120));
  ASSERT_EQ(run["status"], "published") << scorer->Describe();
  ASSERT_EQ(run_audio["status"], "published") << scorer->Describe();

  // Provider A saw only the default reader: its key, headers, model,
  // papers and batches of 5.
  const Seen a = Summarise(proxies_[0]->calls(), 5);
  EXPECT_EQ(a.models, (std::set<std::string>{"gpt-4o"}));
  EXPECT_EQ(a.authorizations, (std::set<std::string>{"Bearer key-provider-a"}));
  EXPECT_EQ(a.readers, (std::set<std::string>{"default"}));
  EXPECT_EQ(a.ids, main_ids);
  EXPECT_EQ(a.max_batch, 5u);
  // Provider B only the audio reader, with its key, headers and batches
  // of 2.
  const Seen b = Summarise(proxies_[1]->calls(), 2);
  EXPECT_EQ(b.models, (std::set<std::string>{"gpt-4o-mini"}));
  EXPECT_EQ(b.authorizations, (std::set<std::string>{"Bearer key-provider-b"}));
  EXPECT_EQ(b.readers, (std::set<std::string>{"audio"}));
  EXPECT_EQ(b.ids, audio_ids);
  EXPECT_EQ(b.max_batch, 2u);
  EXPECT_GT(b.full_batches, 0u);
  // The stubs scored exactly these (a wrong key would have been a 401).
  EXPECT_EQ(stubs_[0]->scored_replies(), a.scoring_calls);
  EXPECT_EQ(stubs_[1]->scored_replies(), b.scoring_calls);
  // Each provider was probed once, with its own key.
  EXPECT_EQ(a.probes, 1);
  EXPECT_EQ(b.probes, 1);
  EXPECT_EQ(run["model"], "gpt-4o");
  EXPECT_EQ(run_audio["model"], "gpt-4o-mini");
}

// A reader whose key variable is unset, or whose key its provider
// refuses, stops the scorer at startup (exit 2) naming the reader and the
// setting, never the key.
TEST_F(ProfileProvidersPipelineTest, BadReaderKeyIsAStartupErrorNamingIt) {
  Subprocess* unset =
      Start("scorer", {"--probe-llm", "fail"}, {{"AUDIO_LLM_KEY", ""}});
  ASSERT_NE(unset, nullptr);
  EXPECT_EQ(unset->WaitFor(seconds(20)), 2) << unset->Describe();
  EXPECT_NE(unset->ReadStderr().find(
                "profile 'audio': [SELECTION] api_key_env: the variable "
                "AUDIO_LLM_KEY is not set"),
            std::string::npos)
      << unset->Describe();

  Subprocess* refused = Start("scorer", {"--probe-llm", "fail"},
                              {{"AUDIO_LLM_KEY", "key-provider-a"}});
  ASSERT_NE(refused, nullptr);
  EXPECT_EQ(refused->WaitFor(seconds(20)), 2) << refused->Describe();
  const std::string err = refused->ReadStderr();
  EXPECT_NE(err.find("profile 'audio': LLM endpoint rejected the API key"),
            std::string::npos)
      << refused->Describe();
  EXPECT_NE(err.find("[SELECTION] api_key_env (AUDIO_LLM_KEY)"),
            std::string::npos)
      << refused->Describe();
  EXPECT_EQ(err.find("key-provider-a"), std::string::npos) << err;
  // The default reader's provider was fine and never got audio's calls.
  EXPECT_EQ(stubs_[0]->requests(), 0);
}

}  // namespace
}  // namespace arxiv_digest::testing
