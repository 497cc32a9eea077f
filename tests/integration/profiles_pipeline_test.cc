// Every reader's settings honoured, end to end on the real day 2025-04-08
// with the real binaries (fetcher --once, two scorers, publisher, api):
// the default reader reads the big feed with gpt-4o in batches of 5, the
// profile "audio" reads only cs.SD+eess.AS (new papers only) with
// gpt-4o-mini, a title stage in batches of 3, abstract batches of 2 and its
// own cut-offs. A recording proxy in front of the OpenAI stub pairs every
// call's model with the papers it carried, so the test sees which model got
// which batch sizes and which tokens each run was billed.
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
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
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kDate[] = "2025-04-08";
constexpr char kSampleDir[] = ARXIV_DIGEST_SOURCE_DIR "/data/sample/2025-04-08";
constexpr char kMainFeed[] = "cs.CL+cs.CV+cs.MM+cs.LG+cs.SI";
constexpr char kAudioFeed[] = "cs.SD+eess.AS";

struct ModelCalls {
  std::set<std::string> abstract_ids, title_ids;
  size_t max_abstract = 0, max_title = 0;
  size_t full_abstract = 0;  // calls holding a whole batch
  int64_t prompt_tokens = 0, completion_tokens = 0, cached_tokens = 0;
};

// USD at configs/model_prices.ini's rates per 1M tokens (cached prompt
// tokens at the cached rate), computed here from the calls the stub saw.
double ExpectedCost(const ModelCalls& m, double prompt, double cached,
                    double completion) {
  return (static_cast<double>(m.prompt_tokens - m.cached_tokens) * prompt +
          static_cast<double>(m.cached_tokens) * cached +
          static_cast<double>(m.completion_tokens) * completion) /
         1e6;
}

std::map<std::string, ModelCalls> ByModel(
    const std::vector<LlmCall>& calls,
    const std::map<std::string, int>& full_batch) {
  std::map<std::string, ModelCalls> by;
  for (const LlmCall& c : calls) {
    ModelCalls& m = by[c.model];
    m.prompt_tokens += c.prompt_tokens;
    m.completion_tokens += c.completion_tokens;
    m.cached_tokens += c.cached_tokens;
    if (c.title) {
      m.title_ids.insert(c.ids.begin(), c.ids.end());
      m.max_title = std::max(m.max_title, c.ids.size());
    } else {
      m.abstract_ids.insert(c.ids.begin(), c.ids.end());
      m.max_abstract = std::max(m.max_abstract, c.ids.size());
      auto f = full_batch.find(c.model);
      if (f != full_batch.end() &&
          c.ids.size() == static_cast<size_t>(f->second)) {
        ++m.full_abstract;
      }
    }
  }
  return by;
}

class ProfilesPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ServicesBuilt({"fetcher", "scorer", "publisher", "api"}));
    work_ = TempDir("profiles-");
    out_ = work_ + "/out";
    fs::create_directories(out_);
    fs::create_directories(work_ + "/logs");
    TestConfigOptions options;
    options.output_path = out_;
    configs_ = WriteTestConfigs(options);
    // The default reader: the big feed only, gpt-4o, batches of 5.
    WriteTextFile(
        configs_ + "/config.ini",
        absl::StrCat("[SELECTION]\nmodel = gpt-4o\n"
                     "abstract_batch_size = 5\nrun_author_match = "
                     "false\nscore_cache_ttl_days = 0\n"
                     "max_in_flight = 2\n\n[FILTERING]\n"
                     "arxiv_category = ",
                     kMainFeed,
                     "\nannounce_type = new,cross\nforce_primary = "
                     "true\nrelevance_cutoff = 7\nnovelty_cutoff = 6\n"
                     "\n[OUTPUT]\noutput_path = ",
                     out_, "\ndump_json = true\ndump_md = true\n"));
    // The audio reader: its own feed, model, stages, batch sizes, cut-offs.
    WriteTextFile(
        configs_ + "/profiles/audio/config.ini",
        absl::StrCat("[SELECTION]\nmodel = gpt-4o-mini\n"
                     "abstract_batch_size = 2\nrun_title_filter = true\n"
                     "title_batch_size = 3\n\n[FILTERING]\n"
                     "arxiv_category = ",
                     kAudioFeed,
                     "\nannounce_type = new\nrelevance_cutoff = 5\n"
                     "novelty_cutoff = 5\n"));

    auto servers = StartRedisAndFeeds(kSampleDir);
    ASSERT_TRUE(servers.ok()) << servers.status();
    redis_ = std::move(servers->redis);
    feeds_ = std::move(servers->feeds);
    auto stub = OpenAiStub::Start({.latency = milliseconds(5)});
    ASSERT_TRUE(stub.ok()) << stub.status();
    stub_ = std::move(*stub);
    proxy_ = std::make_unique<RecordingLlmProxy>(stub_->port());
    ASSERT_TRUE(proxy_->Start().ok());
    std::map<std::string, std::string> env =
        StandardServiceEnv(redis_->url(), stub_->api_key(), proxy_->base_url(),
                           feeds_->base_url());
    env["SCORER_BACKEND"] = "";
    services_ = ServiceProcesses(
        {.configs = configs_, .log_dir = work_ + "/logs", .env = env});
  }

  void TearDown() override {
    if (HasFailure()) services_.ReportFailure(work_);
    services_.Clear();
    proxy_.reset();
    stub_.reset();
    feeds_.reset();
    redis_.reset();
    RemoveTree(configs_);
    if (!HasFailure()) RemoveTree(work_);
  }

  Subprocess* Start(const std::string& service, const std::string& name,
                    std::vector<std::string> extra) {
    return services_.Start(
        {.service = service, .args = std::move(extra), .name = name});
  }

  // Until its fan-out group exists on the runs stream (it starts at "$":
  // runs announced before it are not its).
  void WaitForProfilesGroup(Subprocess* api) {
    auto client = RedisClient::Connect(redis_->port());
    ASSERT_TRUE(client.ok()) << client.status();
    const auto deadline = std::chrono::steady_clock::now() + seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      ASSERT_TRUE(api->Running()) << api->Describe();
      auto groups = client->Command({"XINFO", "GROUPS", "arxiv:runs"});
      if (groups.ok() && absl::StrContains(Flatten(*groups), "|profiles|")) {
        return;
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    FAIL() << "the api's profiles group never appeared";
  }

  // Until the api's group has read and acked the daily run's entry.
  void WaitForFanOutOf(const std::string& daily) {
    auto client = RedisClient::Connect(redis_->port());
    ASSERT_TRUE(client.ok()) << client.status();
    const auto deadline = std::chrono::steady_clock::now() + seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      auto groups = client->Command({"XINFO", "GROUPS", "arxiv:runs"});
      auto entries = client->Command({"XRANGE", "arxiv:runs", "-", "+"});
      ASSERT_TRUE(groups.ok() && entries.ok());
      std::string daily_entry;
      for (const RedisReply& e : entries->elements) {
        if (absl::StrContains(Flatten(e), "|" + daily + "|")) {
          daily_entry = e.elements[0].str;
        }
      }
      for (const RedisReply& g : groups->elements) {
        std::map<std::string, std::string> info;
        for (size_t i = 0; i + 1 < g.elements.size(); i += 2) {
          const RedisReply& v = g.elements[i + 1];
          info[g.elements[i].str] = v.type == RedisReply::Type::kInteger
                                        ? std::to_string(v.integer)
                                        : v.str;
        }
        if (info["name"] == "profiles" && !daily_entry.empty() &&
            StreamIdAtLeast(info["last-delivered-id"], daily_entry) &&
            info["pending"] == "0") {
          return;
        }
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    FAIL() << "the api's fan-out never handled " << daily;
  }

  static std::string Flatten(const RedisReply& r) {
    std::string out = "|" + r.str + "|";
    for (const RedisReply& e : r.elements) out += Flatten(e);
    return out;
  }
  static bool StreamIdAtLeast(const std::string& a, const std::string& b) {
    auto parse = [](const std::string& id) {
      std::pair<uint64_t, uint64_t> v{0, 0};
      std::vector<std::string> parts = absl::StrSplit(id, '-');
      if (parts.size() == 2) {
        v.first = std::stoull(parts[0]);
        v.second = std::stoull(parts[1]);
      }
      return v;
    };
    return parse(a) >= parse(b);
  }

  std::string work_, out_, configs_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<FeedServer> feeds_;
  std::unique_ptr<OpenAiStub> stub_;
  std::unique_ptr<RecordingLlmProxy> proxy_;
  ServiceProcesses services_;
};

// The digest's ids, checking each entry is one of `allowed`.
std::vector<std::string> DigestIds(const std::string& json_path,
                                   const std::set<std::string>& allowed) {
  std::vector<std::string> ids;
  for (const DigestEntry& e : ParseDigestJson(ReadFileOrEmpty(json_path))) {
    // Not a paper (e.g. the papers' fates, issue 11 part 1).
    if (!e.arxiv_id.has_value()) continue;
    EXPECT_TRUE(allowed.count(e.key)) << e.key << " is not this reader's";
    ids.push_back(e.key);
  }
  return ids;
}

// The markdown header's model and token cells.
void ExpectHeader(const std::string& md_path, const std::string& model,
                  int64_t prompt, int64_t completion) {
  const std::string md = ReadFileOrEmpty(md_path);
  EXPECT_TRUE(absl::StrContains(md, absl::StrCat("*[", model, "]*")))
      << md.substr(0, 400);
  std::string token_line;
  for (absl::string_view line : absl::StrSplit(md, '\n')) {
    if (absl::StrContains(line, "**Token**")) token_line = std::string(line);
  }
  std::vector<std::string> cells;
  for (absl::string_view cell : absl::StrSplit(token_line, '|')) {
    cell = absl::StripAsciiWhitespace(cell);
    if (!cell.empty()) cells.emplace_back(cell);
  }
  ASSERT_EQ(cells.size(), 4u) << token_line;
  EXPECT_EQ(cells[1], std::to_string(prompt)) << model;
  EXPECT_EQ(cells[2], std::to_string(completion)) << model;
  EXPECT_EQ(cells[3], std::to_string(prompt + completion)) << model;
}

TEST_F(ProfilesPipelineTest, EachReaderGetsItsPapersModelBatchesAndHeader) {
  const ExpectedRun main_run =
      ExpectedFromFeeds(kSampleDir, {kMainFeed}, {"new", "cross"});
  const ExpectedRun audio =
      ExpectedFromFeeds(kSampleDir, {kAudioFeed}, {"new"});
  const std::set<std::string> main_ids = KeptIds(main_run);
  const std::set<std::string> audio_ids = KeptIds(audio);
  ASSERT_GT(main_ids.size(), 100u);
  ASSERT_GT(audio_ids.size(), 3u);

  // The api runs too: its profile fan-out must find the profile done and
  // create nothing (no double scoring).
  Subprocess* api = Start("api", "api",
                          {"--grpc-port", "0", "--grpc-host", "127.0.0.1",
                           "--web-port", "0", "--web-host", "127.0.0.1"});
  ASSERT_NE(api, nullptr);
  WaitForProfilesGroup(api);
  ASSERT_FALSE(HasFatalFailure());
  Subprocess* publisher =
      Start("publisher", "publisher", {"--output-path", out_});
  Subprocess* a = Start("scorer", "scorer-a",
                        {"--consumer", "scorer-a", "--probe-llm", "off"});
  Subprocess* b = Start("scorer", "scorer-b",
                        {"--consumer", "scorer-b", "--probe-llm", "off"});
  ASSERT_TRUE(publisher && a && b);
  Subprocess* fetcher = Start("fetcher", "fetcher", {"--once"});
  ASSERT_NE(fetcher, nullptr);
  ASSERT_EQ(fetcher->WaitFor(seconds(60)), 0) << fetcher->Describe();
  const std::string daily = StdoutValue(*fetcher, "run_id");
  ASSERT_FALSE(daily.empty());
  // One fetch of each feed for both readers.
  EXPECT_EQ(feeds_->requests_for(kMainFeed), 1);
  EXPECT_EQ(feeds_->requests_for(kAudioFeed), 1);

  auto client = RedisClient::Connect(redis_->port());
  ASSERT_TRUE(client.ok());
  auto children = client->HGetAll("arxiv:run:" + daily + ":profile-runs");
  ASSERT_TRUE(children.ok());
  ASSERT_EQ(children->size(), 1u);
  const std::string child = children->at("audio");

  std::map<std::string, std::string> run =
      WaitForRunStatus(redis_->port(), daily, seconds(120));
  std::map<std::string, std::string> run_audio =
      WaitForRunStatus(redis_->port(), child, seconds(120));
  ASSERT_EQ(run["status"], "published");
  ASSERT_EQ(run_audio["status"], "published");
  EXPECT_EQ(run_audio["kind"], "profile");
  EXPECT_EQ(run_audio["parent_run"], daily);
  EXPECT_EQ(run_audio["profile"], "audio");
  EXPECT_EQ(run["papers_to_score"], std::to_string(main_ids.size()));
  EXPECT_EQ(run_audio["papers_to_score"], std::to_string(audio_ids.size()));

  // The stub saw each model with its reader's papers and batch sizes.
  const std::map<std::string, ModelCalls> by =
      ByModel(proxy_->calls(), {{"gpt-4o", 5}, {"gpt-4o-mini", 2}});
  ASSERT_EQ(by.size(), 2u) << "models called: " << by.begin()->first;
  const ModelCalls& big = by.at("gpt-4o");
  const ModelCalls& mini = by.at("gpt-4o-mini");
  EXPECT_EQ(big.abstract_ids, main_ids);
  EXPECT_TRUE(big.title_ids.empty());  // no title stage for the default
  EXPECT_EQ(big.max_abstract, 5u);
  EXPECT_EQ(mini.title_ids, audio_ids);  // every audio paper's title
  EXPECT_LE(mini.max_title, 3u);
  EXPECT_LE(mini.max_abstract, 2u);
  EXPECT_GT(mini.full_abstract, 0u);
  for (const std::string& id : mini.abstract_ids) {
    EXPECT_TRUE(audio_ids.count(id)) << id;
  }
  const std::vector<std::string> requested = stub_->models_requested();
  std::set<std::string> models(requested.begin(), requested.end());
  EXPECT_EQ(models, (std::set<std::string>{"gpt-4o", "gpt-4o-mini"}));

  // The api's fan-out handled the daily run and added nothing: the runs
  // stream names only the two runs, the record still the fetcher's child.
  WaitForFanOutOf(daily);
  ASSERT_FALSE(HasFatalFailure());
  auto announced = client->Command({"XRANGE", "arxiv:runs", "-", "+"});
  ASSERT_TRUE(announced.ok());
  for (const RedisReply& e : announced->elements) {
    ASSERT_EQ(e.elements.size(), 2u);
    const RedisReply& kv = e.elements[1];
    for (size_t i = 0; i + 1 < kv.elements.size(); i += 2) {
      if (kv.elements[i].str != "run_id") continue;
      EXPECT_TRUE(kv.elements[i + 1].str == daily ||
                  kv.elements[i + 1].str == child)
          << "unexpected run " << kv.elements[i + 1].str;
    }
  }
  children = client->HGetAll("arxiv:run:" + daily + ":profile-runs");
  ASSERT_TRUE(children.ok());
  EXPECT_EQ(*children, (std::map<std::string, std::string>{{"audio", child}}));
  std::map<std::string, int> mini_scored;
  for (const LlmCall& c : proxy_->calls()) {
    if (c.model != "gpt-4o-mini" || c.title) continue;
    for (const std::string& id : c.ids) ++mini_scored[id];
  }
  for (const auto& [id, n] : mini_scored) {
    EXPECT_EQ(n, 1) << id << " scored " << n << " times";
  }

  // Each digest holds only its reader's papers, ranked with its cut-offs.
  const std::string main_json = absl::StrCat(out_, "/", kDate, ".json");
  const std::string audio_json = absl::StrCat(out_, "/audio/", kDate, ".json");
  EXPECT_EQ(DigestIds(main_json, main_ids),
            ExpectedDigestOrder(main_run, 7, 6));
  const std::vector<std::string> audio_digest =
      DigestIds(audio_json, audio_ids);
  EXPECT_FALSE(audio_digest.empty());
  EXPECT_EQ(audio_digest, ExpectedDigestOrder(audio, 5, 5));

  // Each header names the model called and the tokens billed for its run.
  EXPECT_EQ(run["model"], "gpt-4o");
  EXPECT_EQ(run_audio["model"], "gpt-4o-mini");
  EXPECT_EQ(run["prompt_tokens"], std::to_string(big.prompt_tokens));
  EXPECT_EQ(run_audio["prompt_tokens"], std::to_string(mini.prompt_tokens));
  EXPECT_EQ(run_audio["completion_tokens"],
            std::to_string(mini.completion_tokens));
  EXPECT_EQ(run["cached_tokens"], std::to_string(big.cached_tokens));
  EXPECT_EQ(run_audio["cached_tokens"], std::to_string(mini.cached_tokens));
  EXPECT_GT(big.cached_tokens + mini.cached_tokens, 0)
      << "the stub reports cached prefixes: the cached rate is exercised";
  // Each run is priced at its own model's rates (gpt-4o 2.5 / 1.25 / 10,
  // gpt-4o-mini 0.15 / 0.075 / 0.6 per 1M prompt / cached / completion).
  // The manifest keeps 6 significant digits.
  const double big_cost = ExpectedCost(big, 2.5, 1.25, 10);
  const double mini_cost = ExpectedCost(mini, 0.15, 0.075, 0.6);
  EXPECT_NEAR(std::stod(run["cost_usd"]), big_cost, big_cost * 1e-5);
  EXPECT_NEAR(std::stod(run_audio["cost_usd"]), mini_cost, mini_cost * 1e-5);
  ExpectHeader(absl::StrCat(out_, "/", kDate, ".md"), "gpt-4o",
               big.prompt_tokens, big.completion_tokens);
  ExpectHeader(absl::StrCat(out_, "/audio/", kDate, ".md"), "gpt-4o-mini",
               mini.prompt_tokens, mini.completion_tokens);
}

}  // namespace
}  // namespace arxiv_digest::testing
