// End-to-end: one real announcement day through the three real service
// binaries (fetcher --once, two scorers, publisher) with a real redis-server,
// the RSS files served over HTTP and an OpenAI-compatible stub. The expected
// digest is computed here from the feed XML and the stub's scoring function,
// independently of the services' code.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/contract/digest_meta.h"
#include "tests/support/digest_expectations.h"
#include "tests/support/feed_server.h"
#include "tests/support/openai_stub.h"
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
const std::vector<std::string>& Feeds() {
  static const auto* feeds = new std::vector<std::string>{
      "cs.CL+cs.CV+cs.MM+cs.LG+cs.SI", "cs.SD+eess.AS"};
  return *feeds;
}
constexpr int kRelevanceCutoff = 7;
constexpr int kNoveltyCutoff = 6;

constexpr char kArxivctl[] = ARXIV_DIGEST_BINARY_DIR "/tools/arxivctl/arxivctl";

// ------------------------------------------------------------------ fixture

class DailyCycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ServicesBuilt({"fetcher", "scorer", "publisher"}));
    for (const std::string& feed : Feeds()) {
      ASSERT_TRUE(fs::exists(absl::StrCat(kSampleDir, "/", feed, ".xml")))
          << "sample feed missing: " << feed;
    }
    work_ = TempDir("e2e-");
    out_ = work_ + "/out";
    logs_ = work_ + "/logs";
    fs::create_directories(out_);
    fs::create_directories(logs_);
    configs_ = WriteTestConfigs({.output_path = out_,
                                 .relevance_cutoff = kRelevanceCutoff,
                                 .novelty_cutoff = kNoveltyCutoff});

    auto servers = StartRedisAndFeeds(kSampleDir);
    ASSERT_TRUE(servers.ok()) << servers.status();
    redis_ = std::move(servers->redis);
    feeds_ = std::move(servers->feeds);
    // Some latency so the two scorers' calls overlap, as with a real model.
    auto stub = OpenAiStub::Start({.latency = milliseconds(50)});
    ASSERT_TRUE(stub.ok()) << stub.status();
    stub_ = std::move(*stub);
    services_ = ServiceProcesses(
        {.configs = configs_,
         .log_dir = logs_,
         .env = StandardServiceEnv(redis_->url(), stub_->api_key(),
                                   stub_->base_url(), feeds_->base_url())});
  }

  void TearDown() override {
    if (HasFailure()) {
      if (redis_ != nullptr) std::cerr << redis_->Log() << "\n";
      services_.ReportFailure(work_);
    }
    services_.Clear();  // kills whatever still runs
    stub_.reset();
    feeds_.reset();
    redis_.reset();
    RemoveTree(configs_);
    if (!HasFailure()) RemoveTree(work_);
  }

  // Starts a service with the test's environment; the stub URL is tagged
  // with the process name so the stub can tell the scorers apart.
  Subprocess* StartService(const std::string& service, const std::string& name,
                           std::vector<std::string> extra_args) {
    return services_.Start(
        {.service = service,
         .args = std::move(extra_args),
         .name = name,
         .env = {{"OPENAI_BASE_URL", stub_->base_url(name)}}});
  }

  // Until `n` connections sit in XREADGROUP (the scorers joined their
  // group), so papers the fetcher appends right after are not missed
  // because of the test's own start-up race. Soft: a different but valid
  // reading strategy only costs the wait.
  void WaitForStreamReaders(int n, milliseconds timeout) {
    auto client = RedisClient::Connect(redis_->port());
    ASSERT_TRUE(client.ok()) << client.status();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto list = client->Command({"CLIENT", "LIST"});
      if (list.ok()) {
        int readers = 0;
        for (absl::string_view line : absl::StrSplit(list->str, '\n')) {
          if (absl::StrContains(line, " cmd=xreadgroup")) ++readers;
        }
        if (readers >= n) return;
      }
      for (Subprocess* p : daemons_) {
        ASSERT_TRUE(p->Running()) << "a service exited during start-up";
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    std::cerr << "note: fewer than " << n
              << " XREADGROUP readers seen; starting the fetch anyway\n";
  }

  // Polls the run hash until it leaves the in-progress states; a service
  // dying meanwhile ends the wait.
  std::map<std::string, std::string> WaitForRun(const std::string& run_id,
                                                milliseconds timeout) {
    bool died = false;
    std::map<std::string, std::string> run =
        WaitForRunStatus(redis_->port(), run_id, timeout, [&] {
          for (Subprocess* p : daemons_) {
            if (!p->Running()) {
              ADD_FAILURE() << "a service died while the run was in progress: "
                            << p->Describe(2000);
              died = true;
              return false;
            }
          }
          return true;
        });
    if (run.empty() || died) return run;  // Redis unreachable or reported
    const std::string& status = run["status"];
    if (status == "published" || status == "failed") return run;
    ADD_FAILURE() << "run " << run_id << " not published within "
                  << timeout.count() << " ms; hash now: "
                  << absl::StrJoin(run, ", ", absl::PairFormatter("="))
                  << "; stub requests " << stub_->requests() << ", scored "
                  << stub_->scored_ids().size();
    return run;
  }

  // Until no consumer group of any stream has unacknowledged entries: the
  // last XACKs may trail the status change by a moment.
  void ExpectNothingPending(milliseconds timeout) {
    auto client = RedisClient::Connect(redis_->port());
    ASSERT_TRUE(client.ok()) << client.status();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string pending_report;
    do {
      pending_report.clear();
      auto keys = client->Keys("*");
      ASSERT_TRUE(keys.ok()) << keys.status();
      for (const std::string& key : *keys) {
        auto type = client->Command({"TYPE", key});
        if (!type.ok() || type->str != "stream") continue;
        auto groups = client->Command({"XINFO", "GROUPS", key});
        if (!groups.ok() || groups->type != RedisReply::Type::kArray) continue;
        for (const RedisReply& g : groups->elements) {
          std::string name;
          long long pending = 0;
          for (size_t i = 0; i + 1 < g.elements.size(); i += 2) {
            if (g.elements[i].str == "name") name = g.elements[i + 1].str;
            if (g.elements[i].str == "pending") {
              pending = g.elements[i + 1].integer;
            }
          }
          if (pending != 0) {
            absl::StrAppend(&pending_report, key, "/", name, ": ", pending,
                            " pending; ");
          }
        }
      }
      if (pending_report.empty()) return;
      std::this_thread::sleep_for(milliseconds(100));
    } while (std::chrono::steady_clock::now() < deadline);
    ADD_FAILURE() << "unacknowledged stream entries after publication: "
                  << pending_report;
  }

  // Runs the whole day (services up, fetch once, wait for publication) and
  // checks every output against the expectation computed from the feeds.
  void RunDayAndCheck() {
    const ExpectedRun expected =
        ExpectedFromFeeds(kSampleDir, Feeds(), {"new", "cross"});
    const std::vector<std::string> expected_order =
        ExpectedDigestOrder(expected, kRelevanceCutoff, kNoveltyCutoff);
    ASSERT_GT(expected.kept.size(), 100u) << "sample day looks wrong";
    ASSERT_FALSE(expected_order.empty());

    Subprocess* publisher =
        StartService("publisher", "publisher", {"--output-path", out_});
    Subprocess* scorer_a =
        StartService("scorer", "scorer-a", {"--consumer", "scorer-a"});
    Subprocess* scorer_b =
        StartService("scorer", "scorer-b", {"--consumer", "scorer-b"});
    ASSERT_TRUE(publisher && scorer_a && scorer_b);
    daemons_ = {publisher, scorer_a, scorer_b};
    WaitForStreamReaders(2, seconds(20));
    ASSERT_FALSE(HasFatalFailure());

    Subprocess* fetcher = StartService("fetcher", "fetcher", {"--once"});
    ASSERT_NE(fetcher, nullptr);
    ASSERT_EQ(fetcher->WaitFor(seconds(60)), 0) << "fetcher --once failed";
    const std::string run_id = StdoutValue(*fetcher, "run_id");
    ASSERT_FALSE(run_id.empty()) << "no run_id= line on the fetcher's stdout";
    EXPECT_THAT(fetcher->ReadStdout(), ::testing::HasSubstr("status=fetched"));
    for (const std::string& feed : Feeds()) {
      EXPECT_EQ(feeds_->requests_for(feed), 1) << feed;
    }

    std::map<std::string, std::string> run = WaitForRun(run_id, seconds(120));
    ASSERT_EQ(run["status"], "published");

    // The run's own accounting matches the feeds.
    EXPECT_EQ(run["date"], kDate);
    EXPECT_EQ(run["total_papers"], std::to_string(expected.total_papers));
    EXPECT_EQ(run["scanned_papers"], std::to_string(expected.scanned_papers));
    EXPECT_EQ(run["papers_to_score"], std::to_string(expected.kept.size()));
    // No lost papers, whichever of these the run records.
    if (run.count("papers_scored")) {
      EXPECT_EQ(run["papers_scored"], std::to_string(expected.kept.size()));
    }
    for (const auto& [field, value] : run) {
      if (absl::StrContains(field, "lost") ||
          absl::StrContains(field, "unscored")) {
        EXPECT_EQ(value, "0") << "run field " << field;
      }
    }
    ExpectNothingPending(seconds(10));

    // The stub scored exactly the kept papers; no failures were scripted, so
    // each exactly once (twice would mean two scorers took the same entry).
    const std::map<std::string, int> counts = stub_->score_counts();
    std::set<std::string> kept_ids;
    for (const KeptPaper& p : expected.kept) {
      kept_ids.insert(p.id);
      auto it = counts.find(p.id);
      EXPECT_TRUE(it != counts.end())
          << p.id << " (" << p.feed << ") was never sent to the LLM";
      if (it != counts.end()) {
        EXPECT_EQ(it->second, 1) << p.id << " scored more than once";
      }
    }
    for (const auto& [id, n] : counts) {
      EXPECT_TRUE(kept_ids.count(id)) << id << " was scored but not kept";
    }
    EXPECT_THAT(stub_->models_requested(), ::testing::Each("gpt-4o"));
    // Both replicas took part.
    const std::map<std::string, int64_t> by_client =
        stub_->scored_replies_by_client();
    EXPECT_GT(by_client.count("scorer-a") ? by_client.at("scorer-a") : 0, 0)
        << "scorer-a never called the LLM";
    EXPECT_GT(by_client.count("scorer-b") ? by_client.at("scorer-b") : 0, 0)
        << "scorer-b never called the LLM";

    // The digest files.
    const std::string base = absl::StrCat(out_, "/", kDate);
    const std::string json_path =
        run.count("json_path") ? run["json_path"] : base + ".json";
    const std::string md_path =
        run.count("md_path") ? run["md_path"] : base + ".md";
    EXPECT_TRUE(fs::exists(base + ".json"));
    EXPECT_TRUE(fs::exists(base + ".md"));
    EXPECT_TRUE(fs::exists(base + ".html"));
    EXPECT_GT(ReadFileOrEmpty(base + ".html").size(), 0u);

    const std::vector<DigestEntry> digest =
        ParseDigestJson(ReadFileOrEmpty(json_path));
    std::vector<std::string> digest_order;
    for (const DigestEntry& e : digest) digest_order.push_back(e.key);
    EXPECT_TRUE(digest_order == expected_order)
        << "digest JSON: " << DescribeOrderDiff(digest_order, expected_order);
    for (const DigestEntry& e : digest) {
      const StubScore s = StubScoreFor(e.key);
      EXPECT_EQ(e.relevance, s.relevance) << e.key;
      EXPECT_EQ(e.novelty, s.novelty) << e.key;
      EXPECT_EQ(e.score, s.relevance + s.novelty) << e.key;
      EXPECT_EQ(e.comment, s.comment) << e.key;
      EXPECT_EQ(e.arxivid, e.key);
      EXPECT_EQ(e.arxiv_id, e.key);
      EXPECT_TRUE(e.title.has_value() && !e.title->empty()) << e.key;
    }

    const std::string md = ReadFileOrEmpty(md_path);
    EXPECT_EQ(MarkdownCount(md, "Total relevant papers"),
              static_cast<int64_t>(expected_order.size()));
    EXPECT_EQ(MarkdownCount(md, "Total arXiv papers"), expected.total_papers);
    EXPECT_EQ(MarkdownCount(md, "Total scanned papers"),
              expected.scanned_papers);
    const std::vector<std::string> md_order = MarkdownPaperOrder(md);
    EXPECT_TRUE(md_order == expected_order)
        << "markdown: " << DescribeOrderDiff(md_order, expected_order);

    std::cerr << "e2e: " << expected.total_papers << " items, "
              << expected.scanned_papers << " scanned, " << expected.kept.size()
              << " kept, " << expected_order.size()
              << " relevant; stub: " << stub_->requests()
              << " requests, scorer-a "
              << (by_client.count("scorer-a") ? by_client.at("scorer-a") : 0)
              << " replies, scorer-b "
              << (by_client.count("scorer-b") ? by_client.at("scorer-b") : 0)
              << ", max concurrency " << stub_->max_concurrent() << "\n";

    // SIGTERM: each long-running service finishes and exits 0.
    for (Subprocess* p : {scorer_a, scorer_b, publisher}) p->Signal(SIGTERM);
    for (Subprocess* p : {scorer_a, scorer_b, publisher}) {
      EXPECT_EQ(p->WaitFor(seconds(20)), 0) << p->Describe(2000);
    }
  }

  std::string work_, out_, logs_, configs_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<FeedServer> feeds_;
  std::unique_ptr<OpenAiStub> stub_;
  ServiceProcesses services_;
  std::vector<Subprocess*> daemons_;  // must keep running until SIGTERM
};

TEST_F(DailyCycleTest, RealDayIsFetchedScoredAndPublished) { RunDayAndCheck(); }

// The same day while the LLM misbehaves now and then: rate limiting with
// Retry-After, a 500, a garbage body, a fenced reply, a reply missing ids, a
// dropped connection. Normal replies space the failures out so that no batch
// needs more than the configured retries, whichever scorer meets them; the
// digest must come out identical and no paper may be lost or scored twice.
TEST_F(DailyCycleTest, SameDigestWhenTheLlmMisbehaves) {
  const StubFailure ok{.kind = StubFailureKind::kNone};
  for (const StubFailure& f : std::vector<StubFailure>{
           {.kind = StubFailureKind::kRateLimited, .retry_after_seconds = 1},
           {.kind = StubFailureKind::kServerError},
           {.kind = StubFailureKind::kGarbageBody},
           {.kind = StubFailureKind::kFencedReply},
           {.kind = StubFailureKind::kOmitIds, .omit_count = 2},
           {.kind = StubFailureKind::kDropConnection}}) {
    stub_->PushFailure(f);
    stub_->PushFailure(ok, 2);
  }
  RunDayAndCheck();
  EXPECT_EQ(stub_->pending_failures(), 0u) << "the script was not played out";
}

// The gRPC API drives the pipeline: TriggerRun makes the fetcher (serving
// triggers only) fetch the day into the run id the API returned; a Rescore
// of that run with other topics (the stub scores differently when the
// topics carry a "Stub salt") publishes digest version 2 through the real
// scorer and publisher, and version 1 stays readable. arxivctl is the
// client, as a user would run it.
TEST_F(DailyCycleTest, TriggerAndRescoreThroughTheApi) {
  const std::string tokens = work_ + "/tokens";
  std::ofstream(tokens) << "op-secret-0123456789 operator ops\n"
                           "read-secret-0123456789 reader viewer\n";
  // The api refuses a tokens file that others can read.
  std::filesystem::permissions(tokens, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::owner_write);
  Subprocess* api = StartService(
      "api", "api",
      {"--grpc-port", "0", "--grpc-host", "127.0.0.1", "--web-port", "0",
       "--web-host", "127.0.0.1", "--tokens", tokens});
  ASSERT_NE(api, nullptr);
  std::string server;
  for (auto deadline = std::chrono::steady_clock::now() + seconds(20);
       server.empty() && std::chrono::steady_clock::now() < deadline;) {
    for (absl::string_view line : absl::StrSplit(api->ReadStdout(), '\n')) {
      if (absl::ConsumePrefix(&line, "grpc_port=")) {
        server = absl::StrCat("127.0.0.1:", line);
      }
    }
    ASSERT_TRUE(api->Running()) << api->Describe();
    std::this_thread::sleep_for(milliseconds(50));
  }
  ASSERT_FALSE(server.empty()) << "api never printed grpc_port=";

  Subprocess* publisher =
      StartService("publisher", "publisher", {"--output-path", out_});
  Subprocess* scorer = StartService("scorer", "scorer", {"--consumer", "s1"});
  Subprocess* fetcher = StartService("fetcher", "fetcher", {"--triggers-only"});
  ASSERT_TRUE(publisher && scorer && fetcher);
  daemons_ = {api, publisher, scorer, fetcher};
  WaitForStreamReaders(2, seconds(20));  // the scorer's slots, the fetcher

  auto ctl = [&](std::vector<std::string> args, const std::string& token,
                 std::string* out) {
    std::vector<std::string> all = {"--server", server,      "--token",
                                    token,      "--timeout", "20"};
    all.insert(all.end(), args.begin(), args.end());
    auto p = Subprocess::Start({.binary = kArxivctl,
                                .args = all,
                                .log_dir = logs_,
                                .name = "arxivctl"});
    EXPECT_TRUE(p.ok()) << p.status();
    if (!p.ok()) return -1;
    std::optional<int> code = (*p)->WaitFor(seconds(150));
    if (out != nullptr) *out = (*p)->ReadStdout();
    if (!code.has_value()) ADD_FAILURE() << (*p)->Describe();
    return code.value_or(-1);
  };

  // A reader may not trigger (exit code 4 = auth), an operator may.
  EXPECT_EQ(ctl({"trigger"}, "read-secret-0123456789", nullptr), 4);
  std::string out;
  ASSERT_EQ(ctl({"trigger"}, "op-secret-0123456789", &out), 0) << out;
  const std::string run_id(absl::StripAsciiWhitespace(out));
  ASSERT_FALSE(run_id.empty());
  std::map<std::string, std::string> run = WaitForRun(run_id, seconds(120));
  ASSERT_EQ(run["status"], "published");
  EXPECT_EQ(run["date"], kDate);
  EXPECT_EQ(run["digest_version"], "1");

  const ExpectedRun expected =
      ExpectedFromFeeds(kSampleDir, Feeds(), {"new", "cross"});
  auto digest_order = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"digest", "get",      "--date",
                                     kDate,    "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string json;
    EXPECT_EQ(ctl(args, "read-secret-0123456789", &json), 0) << json;
    std::vector<std::string> order;
    for (const DigestEntry& e : ParseDigestJson(json)) order.push_back(e.key);
    return order;
  };
  const std::vector<std::string> v1_expected =
      ExpectedDigestOrder(expected, kRelevanceCutoff, kNoveltyCutoff);
  std::vector<std::string> v1 = digest_order({});
  EXPECT_TRUE(v1 == v1_expected) << DescribeOrderDiff(v1, v1_expected);

  // Rescore the run with other interests.
  const std::string topics = work_ + "/topics.txt";
  std::ofstream(topics) << ReadFileOrEmpty(ARXIV_DIGEST_SOURCE_DIR
                                           "/configs/paper_topics.txt")
                        << "\nStub salt: rescore-1\n";
  ASSERT_EQ(ctl({"rescore", "--run", run_id, "--topics-file", topics, "--watch",
                 "--watch-timeout", "120"},
                "op-secret-0123456789", &out),
            0)
      << out;
  const std::vector<std::string> v2_expected = ExpectedDigestOrder(
      expected, kRelevanceCutoff, kNoveltyCutoff, "rescore-1");
  ASSERT_NE(v2_expected, v1_expected) << "the salt must change the digest";
  std::vector<std::string> v2 = digest_order({});
  EXPECT_TRUE(v2 == v2_expected) << DescribeOrderDiff(v2, v2_expected);
  std::vector<std::string> v2_explicit = digest_order({"--version", "2"});
  EXPECT_EQ(v2_explicit, v2);
  std::vector<std::string> v1_again = digest_order({"--version", "1"});
  EXPECT_TRUE(v1_again == v1_expected)
      << DescribeOrderDiff(v1_again, v1_expected);
  EXPECT_TRUE(fs::exists(absl::StrCat(out_, "/", kDate, ".v2.md")));

  // The new prompt was sent (cache miss on the new fingerprint): every kept
  // paper was scored once per version.
  for (const auto& [id, n] : stub_->score_counts()) {
    EXPECT_EQ(n, 2) << id;
  }
  std::string list;
  EXPECT_EQ(ctl({"digest", "list"}, "read-secret-0123456789", &list), 0);
  EXPECT_THAT(list, ::testing::HasSubstr(kDate));

  // Each version's record, as the real publisher wrote it, decodes with the
  // codec the api reads it with, publication time included (the publisher
  // once wrote epoch seconds where the api expected RFC 3339).
  auto client = RedisClient::Connect(redis_->port());
  ASSERT_TRUE(client.ok()) << client.status();
  auto meta =
      client->HGetAll(absl::StrCat("arxiv:digest-meta:default:", kDate));
  ASSERT_TRUE(meta.ok()) << meta.status();
  ASSERT_EQ(meta->size(), 2u);
  for (const auto& [field, json] : *meta) {
    absl::StatusOr<contract::DigestVersionMeta> m =
        contract::DecodeDigestMeta(field, json);
    ASSERT_TRUE(m.ok()) << m.status() << " " << json;
    EXPECT_THAT(m->published_at, ::testing::MatchesRegex(
                                     "20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T.*Z"))
        << json;
  }
}

}  // namespace
}  // namespace arxiv_digest::testing
