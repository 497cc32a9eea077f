// The fault tests' shared harness (header-only: the test suite compiles only
// *_test.cc files). A ChaosEnv is one private deployment on loopback: a real
// redis-server, the bundled day's feeds over HTTP, the OpenAI-compatible
// stub and the real service binaries, with helpers to wait on Redis state
// (never fixed sleeps) and to compare the published digest with the
// fault-free digest of the same day.
#pragma once

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "tests/support/digest_expectations.h"
#include "tests/support/feed_server.h"
#include "tests/support/openai_stub.h"
#include "tests/support/redis_server.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest::testing::chaos {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

inline constexpr char kDay[] = "2025-04-08";
inline constexpr char kSampleDir[] =
    ARXIV_DIGEST_SOURCE_DIR "/data/sample/2025-04-08";
inline constexpr int kRelevanceCutoff = 7;
inline constexpr int kNoveltyCutoff = 6;

inline const std::vector<std::string>& Feeds() {
  static const auto* feeds = new std::vector<std::string>{
      "cs.CL+cs.CV+cs.MM+cs.LG+cs.SI", "cs.SD+eess.AS"};
  return *feeds;
}

inline std::string Binary(const std::string& service) {
  return absl::StrCat(ARXIV_DIGEST_BINARY_DIR, "/services/", service, "/",
                      service);
}

struct ChaosOptions {
  int max_in_flight = 2;  // slots per scorer replica
  int batch_size = 5;
  milliseconds latency{0};  // the stub's answer time
  bool appendonly = false;  // redis-server with AOF + appendfsync always
  int claim_idle_ms = 3000;
  int max_deliveries = 5;
  int lock_ttl_seconds = 600;  // [FETCHER] lock_ttl_seconds
};

// The published digest of a run, as files.
struct PublishedDigest {
  std::string run_id;
  std::map<std::string, std::string> manifest;
  std::string json, md;
};

// The markdown from the totals on: the token/cost table above it counts
// retried calls, which faults legitimately change; everything a reader
// sees about papers (counts, order, titles, scores, comments) is below.
inline std::string MarkdownBody(const std::string& md) {
  const size_t at = md.find("Total arXiv papers:");
  return at == std::string::npos ? md : md.substr(at);
}

class ChaosEnv {
 public:
  explicit ChaosEnv(ChaosOptions options) : options_(options) {}
  ~ChaosEnv() { Stop(); }

  // Redis, feed server and stub up; configs written. Fatal failures abort
  // the calling test (use ASSERT_NO_FATAL_FAILURE).
  void Start() {
    work_ = TempDir("chaos-");
    out_ = work_ + "/out";
    logs_ = work_ + "/logs";
    configs_ = work_ + "/configs";
    fs::create_directories(out_);
    fs::create_directories(logs_);
    WriteConfigs();
    RedisServerOptions redis_options;
    redis_options.appendonly = options_.appendonly;
    auto redis = RedisServer::Start(redis_options);
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = std::move(*redis);
    auto feeds = FeedServer::Start(kSampleDir);
    ASSERT_TRUE(feeds.ok()) << feeds.status();
    feeds_ = std::move(*feeds);
    auto stub = OpenAiStub::Start({.latency = options_.latency, .threads = 32});
    ASSERT_TRUE(stub.ok()) << stub.status();
    stub_ = std::move(*stub);
  }

  void Stop() {
    processes_.clear();  // SIGKILL whatever still runs
    stub_.reset();
    feeds_.reset();
    redis_.reset();
  }

  // Prints the services' logs when the test failed; removes the work dir
  // when it passed.
  void Report(bool failed) {
    if (failed) {
      for (const auto& p : processes_) std::cerr << p->Describe(4000) << "\n";
      if (redis_ != nullptr) std::cerr << redis_->Log() << "\n";
      std::cerr << "work dir kept for inspection: " << work_ << "\n";
    } else if (!work_.empty()) {
      Stop();
      RemoveTree(work_);
    }
  }

  RedisServer& redis() { return *redis_; }
  OpenAiStub& stub() { return *stub_; }
  const std::string& out() const { return out_; }
  const std::string& work() const { return work_; }
  const std::string& configs() const { return configs_; }

  // A service with the environment pointing at this deployment; the stub
  // URL is tagged with `name`, so the stub counts each process apart.
  // `env` overrides or adds variables (e.g. OPENAI_BASE_URL of another
  // server).
  Subprocess* StartService(const std::string& service, const std::string& name,
                           std::vector<std::string> extra_args,
                           std::string redis_url = "",
                           std::map<std::string, std::string> env = {}) {
    std::vector<std::string> args = {"--configs",    configs_,
                                     "--admin-port", "0",
                                     "--admin-host", "127.0.0.1"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::map<std::string, std::string> environment = {
        {"REDIS_URL", redis_url.empty() ? redis_->url() : redis_url},
        {"OPENAI_API_KEY", stub_->api_key()},
        {"OPENAI_BASE_URL", stub_->base_url(name)},
        {"ARXIV_RSS_URL", feeds_->base_url()}};
    for (auto& [key, value] : env) environment[key] = std::move(value);
    auto proc = Subprocess::Start(
        {.binary = Binary(service),
         .args = std::move(args),
         .env = std::move(environment),
         .unset_env = {"OPENAI_ORG_ID", "http_proxy", "https_proxy",
                       "HTTP_PROXY", "HTTPS_PROXY", "SCORER_BACKEND"},
         .log_dir = logs_,
         .name = absl::StrCat(name, "-", processes_.size())});
    EXPECT_TRUE(proc.ok()) << proc.status();
    if (!proc.ok()) return nullptr;
    processes_.push_back(std::move(*proc));
    return processes_.back().get();
  }

  Subprocess* StartScorer(const std::string& name,
                          std::map<std::string, std::string> env = {}) {
    return StartService(
        "scorer", name,
        {"--consumer", name, "--claim-idle-ms",
         absl::StrCat(options_.claim_idle_ms), "--max-deliveries",
         absl::StrCat(options_.max_deliveries)},
        "", std::move(env));
  }
  Subprocess* StartPublisher() {
    return StartService("publisher", "publisher", {"--output-path", out_});
  }

  // A fresh connection per call: Redis may have been restarted meanwhile.
  RedisClient Client() {
    auto client = RedisClient::Connect(redis_->port());
    EXPECT_TRUE(client.ok()) << client.status();
    return std::move(*client);
  }

  // Until `n` connections sit in XREADGROUP, so the fetch does not race the
  // consumers' start-up. Soft: a different reading strategy only costs time.
  void WaitForStreamReaders(int n, milliseconds timeout = seconds(20)) {
    RedisClient client = Client();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto list = client.Command({"CLIENT", "LIST"});
      if (list.ok()) {
        int readers = 0;
        for (absl::string_view line : absl::StrSplit(list->str, '\n')) {
          if (absl::StrContains(line, " cmd=xreadgroup")) ++readers;
        }
        if (readers >= n) return;
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
  }

  // fetcher --once, started; FinishFetch waits for it. Split so a test can
  // act while the fetch runs.
  Subprocess* StartFetcher(const std::string& name = "fetcher",
                           std::string redis_url = "") {
    return StartService("fetcher", name, {"--once"}, std::move(redis_url));
  }

  // Waits for a started fetcher; returns its run id ("" on failure, with
  // the test failed).
  std::string FinishFetch(Subprocess* fetcher) {
    if (fetcher == nullptr) return "";
    std::optional<int> rc = fetcher->WaitFor(seconds(60));
    EXPECT_EQ(rc, 0) << fetcher->Describe(4000);
    std::string run_id;
    for (absl::string_view line : absl::StrSplit(fetcher->ReadStdout(), '\n')) {
      if (absl::ConsumePrefix(&line, "run_id=")) run_id = std::string(line);
    }
    EXPECT_FALSE(run_id.empty()) << fetcher->Describe(4000);
    EXPECT_TRUE(absl::StrContains(fetcher->ReadStdout(), "status=fetched"))
        << fetcher->ReadStdout();
    return run_id;
  }

  std::string FetchOnce(const std::string& name = "fetcher") {
    return FinishFetch(StartFetcher(name));
  }

  // Polls until `done` holds or the deadline passes; false on timeout.
  template <typename Predicate>
  bool WaitUntil(Predicate done, milliseconds timeout,
                 milliseconds period = milliseconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(period);
    }
    return done();
  }

  long long XLen(const std::string& stream) {
    auto client = RedisClient::Connect(redis_->port());
    if (!client.ok()) return -1;
    auto n = client->XLen(stream);
    return n.ok() ? *n : -1;
  }

  std::map<std::string, std::string> Manifest(const std::string& run_id) {
    auto client = RedisClient::Connect(redis_->port());
    if (!client.ok()) return {};
    auto all = client->HGetAll("arxiv:run:" + run_id);
    return all.ok() ? *all : std::map<std::string, std::string>{};
  }

  // Stream entry ids pending in the scorers' group for consumers whose name
  // starts with `consumer_prefix` ("scorer-a" matches "scorer-a/0").
  std::set<std::string> PendingEntries(const std::string& consumer_prefix) {
    std::set<std::string> ids;
    RedisClient client = Client();
    auto reply = client.Command(
        {"XPENDING", "arxiv:papers", "scorers", "-", "+", "100000"});
    if (!reply.ok()) return ids;
    for (const RedisReply& e : reply->elements) {
      if (e.elements.size() >= 2 &&
          absl::StartsWith(e.elements[1].str, consumer_prefix)) {
        ids.insert(e.elements[0].str);
      }
    }
    return ids;
  }

  // arxiv ids of the given arxiv:papers entries.
  std::set<std::string> ArxivIdsOf(const std::set<std::string>& entry_ids) {
    std::set<std::string> out;
    RedisClient client = Client();
    for (const std::string& id : entry_ids) {
      auto reply = client.Command({"XRANGE", "arxiv:papers", id, id});
      if (!reply.ok() || reply->elements.empty()) continue;
      const RedisReply& kv = reply->elements[0].elements[1];
      for (size_t i = 0; i + 1 < kv.elements.size(); i += 2) {
        if (kv.elements[i].str == "arxiv_id")
          out.insert(kv.elements[i + 1].str);
      }
    }
    return out;
  }

  // Until the run's manifest says published; the digest files then.
  PublishedDigest WaitForPublished(const std::string& run_id,
                                   milliseconds timeout) {
    PublishedDigest d;
    d.run_id = run_id;
    const bool published = WaitUntil(
        [&] {
          d.manifest = Manifest(run_id);
          return d.manifest["status"] == "published" ||
                 d.manifest["status"] == "failed";
        },
        timeout, milliseconds(50));
    EXPECT_TRUE(published) << "run " << run_id << " not published within "
                           << timeout.count() << " ms; manifest: "
                           << absl::StrJoin(d.manifest, ", ",
                                            absl::PairFormatter("="))
                           << "; stub requests " << stub_->requests();
    EXPECT_EQ(d.manifest["status"], "published");
    const std::string base = absl::StrCat(out_, "/", kDay);
    d.json =
        ReadFileOrEmpty(d.manifest.count("json_path") ? d.manifest["json_path"]
                                                      : base + ".json");
    d.md = ReadFileOrEmpty(d.manifest.count("md_path") ? d.manifest["md_path"]
                                                       : base + ".md");
    return d;
  }

  // Until every entry of the papers stream was delivered and acked.
  bool WaitForScorersIdle(milliseconds timeout) {
    return WaitUntil(
        [&] {
          auto client = RedisClient::Connect(redis_->port());
          if (!client.ok()) return false;
          auto groups = client->Command({"XINFO", "GROUPS", "arxiv:papers"});
          if (!groups.ok() || groups->elements.empty()) return false;
          for (const RedisReply& g : groups->elements) {
            long long pending = -1, lag = -1;
            for (size_t i = 0; i + 1 < g.elements.size(); i += 2) {
              if (g.elements[i].str == "pending") {
                pending = g.elements[i + 1].integer;
              }
              if (g.elements[i].str == "lag") lag = g.elements[i + 1].integer;
            }
            if (pending != 0 || lag != 0) return false;
          }
          return true;
        },
        timeout, milliseconds(50));
  }

 private:
  void WriteConfigs() {
    fs::create_directories(configs_);
    for (const auto& entry :
         fs::directory_iterator(ARXIV_DIGEST_SOURCE_DIR "/configs")) {
      if (entry.path().extension() == ".txt") {
        fs::copy_file(entry.path(),
                      fs::path(configs_) / entry.path().filename());
      }
    }
    std::ofstream(configs_ + "/config.ini")
        << "[SELECTION]\nmodel = gpt-4o\nabstract_batch_size = "
        << options_.batch_size
        << "\nabstract_retry = 3\nrun_author_match = false\nmax_in_flight = "
        << options_.max_in_flight
        << "\n\n[FILTERING]\n"
           "arxiv_category = cs.CL+cs.CV+cs.MM+cs.LG+cs.SI,cs.SD+eess.AS\n"
           "announce_type = new,cross\nforce_primary = true\n"
           "relevance_cutoff = "
        << kRelevanceCutoff << "\nnovelty_cutoff = " << kNoveltyCutoff
        << "\n\n[FETCHER]\nmin_request_interval_ms = 0\nlock_ttl_seconds = "
        << options_.lock_ttl_seconds << "\n\n[OUTPUT]\noutput_path = " << out_
        << "\ndump_json = true\ndump_md = true\npush_to_slack = false\n";
  }

  ChaosOptions options_;
  std::string work_, out_, logs_, configs_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<FeedServer> feeds_;
  std::unique_ptr<OpenAiStub> stub_;
  std::vector<std::unique_ptr<Subprocess>> processes_;
};

// The same day without faults: fresh deployment, 0 ms stub, 2 scorers.
// Returns the digest the faulty runs must reproduce.
inline PublishedDigest FaultFreeDigest() {
  ChaosEnv env(ChaosOptions{});
  PublishedDigest d;
  env.Start();
  if (::testing::Test::HasFatalFailure()) return d;
  env.StartPublisher();
  env.StartScorer("clean-a");
  env.StartScorer("clean-b");
  env.WaitForStreamReaders(5);
  const std::string run_id = env.FetchOnce();
  if (run_id.empty()) return d;
  d = env.WaitForPublished(run_id, seconds(120));
  env.Report(::testing::Test::HasFailure());
  return d;
}

// A digest JSON without its trailing "fates" member: that member says how
// each paper got there, which legitimately differs after a fault (a paper
// answered from the score cache on the second try has stage "cache").
inline std::string PapersJson(const std::string& json) {
  const size_t at = json.find("\n    \"fates\": {");
  if (at == std::string::npos) return json;
  const size_t comma = json.rfind(',', at);
  return comma == std::string::npos ? json : json.substr(0, comma) + "\n}";
}

// Checks the digest against the fault-free one and against the expectation
// computed independently from the feeds and the stub's scoring function:
// same papers, same order, same scores, each paper once, nothing unscored
// or dead-lettered.
inline void ExpectFaultFreeDigest(ChaosEnv& env, const PublishedDigest& got,
                                  const PublishedDigest& clean) {
  const ExpectedRun expected =
      ExpectedFromFeeds(kSampleDir, Feeds(), {"new", "cross"});
  const std::vector<std::string> want =
      ExpectedDigestOrder(expected, kRelevanceCutoff, kNoveltyCutoff);
  ASSERT_FALSE(want.empty());
  ASSERT_FALSE(got.json.empty()) << "no digest JSON";

  EXPECT_EQ(PapersJson(got.json), PapersJson(clean.json))
      << "digest JSON differs from the fault-free run's";
  EXPECT_EQ(MarkdownBody(got.md), MarkdownBody(clean.md))
      << "digest markdown (below the token table) differs from the "
         "fault-free run's";

  const std::vector<DigestEntry> entries = ParseDigestJson(got.json);
  std::vector<std::string> order;
  std::set<std::string> unique;
  for (const DigestEntry& e : entries) {
    order.push_back(e.key);
    EXPECT_TRUE(unique.insert(e.key).second) << e.key << " twice in the digest";
    const StubScore s = StubScoreFor(e.key);
    EXPECT_EQ(e.relevance, s.relevance) << e.key;
    EXPECT_EQ(e.novelty, s.novelty) << e.key;
    EXPECT_EQ(e.comment, s.comment) << e.key;
  }
  EXPECT_TRUE(order == want) << "JSON: " << DescribeOrderDiff(order, want);
  const std::vector<std::string> md_order = MarkdownPaperOrder(got.md);
  EXPECT_TRUE(md_order == want)
      << "markdown: " << DescribeOrderDiff(md_order, want);
  EXPECT_EQ(MarkdownCount(got.md, "Total relevant papers"),
            static_cast<int64_t>(want.size()));

  auto manifest = got.manifest;
  EXPECT_EQ(manifest["papers_to_score"], std::to_string(expected.kept.size()));
  for (const auto& [field, value] : manifest) {
    if (absl::StrContains(field, "unscored") ||
        absl::StrContains(field, "lost")) {
      EXPECT_EQ(value, "0") << "manifest field " << field;
    }
  }
  EXPECT_EQ(env.XLen("arxiv:dead-letter"), 0) << "entries were dead-lettered";

  // Every kept paper reached the LLM at least once.
  const std::map<std::string, int> counts = env.stub().score_counts();
  for (const KeptPaper& p : expected.kept) {
    EXPECT_TRUE(counts.count(p.id)) << p.id << " never sent to the LLM";
  }
}

// Ids the stub scored more than once.
inline std::set<std::string> ScoredMoreThanOnce(OpenAiStub& stub) {
  std::set<std::string> ids;
  for (const auto& [id, n] : stub.score_counts()) {
    if (n > 1) ids.insert(id);
  }
  return ids;
}

}  // namespace arxiv_digest::testing::chaos
