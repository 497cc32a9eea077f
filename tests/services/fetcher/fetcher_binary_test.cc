// The fetcher binary end to end: real redis-server, the sample days served
// over HTTP, `fetcher --once` as a subprocess. Covers the run contract
// (run_id=/status=/date= lines, manifest fields), "not updated" re-runs,
// --force, the lock held by another replica, de-duplication surviving a
// Redis restart, and the two backfill modes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_split.h"
#include "lib/redis/keys.h"
#include "services/fetcher/logic/atom_parser.h"
#include "tests/services/fetcher/fetcher_test_util.h"
#include "tests/services/fetcher/scripted_http_server.h"
#include "tests/support/feed_server.h"
#include "tests/support/redis_server.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::RedisServer;
using testing::Subprocess;

struct Output {
  int exit = -1;
  std::map<std::string, std::string> lines;  // "status" -> "fetched"
  std::string describe;
};

class FetcherBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::RedisServerOptions options;
    options.appendonly = true;
    absl::StatusOr<std::unique_ptr<RedisServer>> r =
        RedisServer::Start(options);
    ASSERT_TRUE(r.ok()) << r.status();
    redis_ = *std::move(r);
    configs_ = testing::TempDir("fetcher-configs-");
    for (const auto& e : fs::directory_iterator(
             std::string(ARXIV_DIGEST_SOURCE_DIR) + "/configs")) {
      if (e.is_regular_file()) {
        fs::copy_file(e.path(), fs::path(configs_) / e.path().filename());
      }
    }
    WriteConfig("new,cross");
    Serve("2025-04-08");
  }
  void TearDown() override { testing::RemoveTree(configs_); }

  // config.ini with the politeness interval shortened for the test.
  void WriteConfig(const std::string& announce_types) {
    std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) +
                     "/configs/config.ini");
    std::stringstream text;
    text << in.rdbuf();
    std::string ini = text.str();
    size_t at = ini.find("announce_type =");
    ini.replace(at, ini.find('\n', at) - at,
                "announce_type = " + announce_types);
    ini +=
        "\n[FETCHER]\nmin_request_interval_ms = 50\n"
        "contact = tests@example.org\nlock_ttl_seconds = 60\n";
    std::ofstream(configs_ + "/config.ini") << ini;
  }
  void Serve(const std::string& day) {
    feeds_.reset();
    absl::StatusOr<std::unique_ptr<testing::FeedServer>> f =
        testing::FeedServer::Start(std::string(ARXIV_DIGEST_SOURCE_DIR) +
                                   "/data/sample/" + day);
    ASSERT_TRUE(f.ok()) << f.status();
    feeds_ = *std::move(f);
  }

  Output Fetch(std::vector<std::string> extra,
               std::map<std::string, std::string> env = {}) {
    testing::SubprocessOptions o;
    o.binary =
        std::string(ARXIV_DIGEST_BINARY_DIR) + "/services/fetcher/fetcher";
    o.args = {"--configs", configs_, "--once", "--admin-port", "0"};
    o.args.insert(o.args.end(), extra.begin(), extra.end());
    o.env = {{"REDIS_URL", redis_->url()},
             {"ARXIV_RSS_URL", feeds_->base_url()}};
    for (auto& [k, v] : env) o.env[k] = v;
    Output out;
    absl::StatusOr<std::unique_ptr<Subprocess>> p = Subprocess::Start(o);
    if (!p.ok()) {
      out.describe = std::string(p.status().message());
      return out;
    }
    std::optional<int> code = (*p)->WaitFor(std::chrono::seconds(120));
    out.exit = code.value_or(-1);
    out.describe = (*p)->Describe();
    for (absl::string_view line : absl::StrSplit((*p)->ReadStdout(), '\n')) {
      size_t eq = line.find('=');
      if (eq == absl::string_view::npos) continue;
      out.lines[std::string(line.substr(0, eq))] =
          std::string(line.substr(eq + 1));
    }
    return out;
  }

  std::map<std::string, std::string> Manifest(const std::string& run_id) {
    absl::StatusOr<testing::RedisClient> c =
        testing::RedisClient::Connect(redis_->port());
    EXPECT_TRUE(c.ok());
    absl::StatusOr<std::map<std::string, std::string>> m =
        c->HGetAll(keys::Run(run_id));
    EXPECT_TRUE(m.ok());
    return m.ok() ? *m : std::map<std::string, std::string>{};
  }
  testing::RedisReply Redis(const std::vector<std::string>& cmd) {
    absl::StatusOr<testing::RedisReply> r =
        testing::RedisCommand(redis_->port(), cmd);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : testing::RedisReply{};
  }

  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<testing::FeedServer> feeds_;
  std::string configs_;
};

TEST_F(FetcherBinaryTest, DailyRunThenNotUpdatedThenForce) {
  Output first = Fetch({});
  ASSERT_EQ(first.exit, 0) << first.describe;
  EXPECT_EQ(first.lines["status"], "fetched");
  EXPECT_EQ(first.lines["date"], "2025-04-08");
  std::map<std::string, std::string> m = Manifest(first.lines["run_id"]);
  EXPECT_EQ(m["status"], "fetched");
  EXPECT_EQ(m["total_papers"], "894");
  EXPECT_EQ(m["skipped_seen"], "0");
  EXPECT_EQ(m["reason"], "");
  int64_t papers = std::stoll(m["papers_to_score"]);
  EXPECT_GT(papers, 400);
  EXPECT_EQ(Redis({"XLEN", keys::PapersStream()}).integer, papers);
  EXPECT_EQ(Redis({"GET", keys::LastFeedDate("cs.SD+eess.AS")}).str,
            "2025-04-08");
  EXPECT_EQ(Redis({"EXISTS", keys::FetchLock("today")}).integer, 0)
      << "lock released";

  Output second = Fetch({});
  ASSERT_EQ(second.exit, 0) << second.describe;
  EXPECT_EQ(second.lines["status"], "no_announcements");
  EXPECT_EQ(second.lines["reason"], "feed not updated since the last run");
  m = Manifest(second.lines["run_id"]);
  EXPECT_EQ(m["status"], "no_announcements");
  EXPECT_EQ(m["reason"], "feed not updated since the last run");
  EXPECT_THAT(second.describe,
              HasSubstr("feed not updated since the last run"));
  EXPECT_EQ(Redis({"XLEN", keys::PapersStream()}).integer, papers);

  Output forced = Fetch({"--force"});
  ASSERT_EQ(forced.exit, 0) << forced.describe;
  EXPECT_EQ(forced.lines["status"], "fetched");
  EXPECT_EQ(Redis({"XLEN", keys::PapersStream()}).integer, 2 * papers);
}

TEST_F(FetcherBinaryTest, SecondReplicaFindsTheLock) {
  Redis({"SET", keys::FetchLock("today"), "other-replica", "EX", "60"});
  Output out = Fetch({});
  ASSERT_EQ(out.exit, 0) << out.describe;
  EXPECT_EQ(out.lines["status"], "locked");
  EXPECT_THAT(out.describe, HasSubstr("another fetcher replica"));
  EXPECT_EQ(feeds_->requests(), 0);
  EXPECT_EQ(Redis({"GET", keys::FetchLock("today")}).str, "other-replica");
}

// Delivered papers are remembered across a Redis restart (AOF): the day
// fetched again after its date key is gone delivers nothing twice.
TEST_F(FetcherBinaryTest, DeduplicationSurvivesRedisRestart) {
  Output first = Fetch({});
  ASSERT_EQ(first.exit, 0) << first.describe;
  ASSERT_TRUE(redis_->Restart().ok()) << redis_->Log();
  Redis({"DEL", keys::LastFeedDate("cs.CL+cs.CV+cs.MM+cs.LG+cs.SI"),
         keys::LastFeedDate("cs.SD+eess.AS")});
  Output again = Fetch({});
  ASSERT_EQ(again.exit, 0) << again.describe;
  EXPECT_EQ(again.lines["status"], "no_announcements");
  std::map<std::string, std::string> m = Manifest(again.lines["run_id"]);
  EXPECT_EQ(m["skipped_seen"],
            Manifest(first.lines["run_id"])["papers_to_score"]);
  EXPECT_THAT(m["reason"], HasSubstr("already delivered"));
}

// The two real days one after the other with replacements enabled: the
// second day scores new papers and new versions only.
TEST_F(FetcherBinaryTest, TwoRealDaysWithReplacements) {
  WriteConfig("new,cross,replace,replace-cross");
  Output day1 = Fetch({});
  ASSERT_EQ(day1.exit, 0) << day1.describe;
  Serve("2025-04-15");
  Output day2 = Fetch({});
  ASSERT_EQ(day2.exit, 0) << day2.describe;
  EXPECT_EQ(day2.lines["status"], "fetched");
  EXPECT_EQ(day2.lines["date"], "2025-04-15");
  // 2504.04450 was new (v1) on 04-08 and is replaced (v2) on 04-15.
  testing::RedisReply v = Redis({"GET", keys::Seen("2504.04450")});
  EXPECT_EQ(v.str, "2");
}

TEST_F(FetcherBinaryTest, BackfillByIdsAndByDates) {
  std::string atom = testing::ReadRepoFile(
      "tests/fixtures/arxiv/atom/"
      "CrSamson_brevio-ai__arxiv_cs_lg_api_2026-04-30.xml");
  std::string page1 = testing::ReadRepoFile(
      "tests/fixtures/arxiv/oai-pmh/"
      "CharlesAHunt_agentgraph__oai_listrecords_arXiv_plasm-ph_2026-01-05.xml");
  page1.insert(page1.find("</ListRecords>"),
               "<resumptionToken completeListSize=\"6\">p2</resumptionToken>");
  std::string page2 = testing::ReadRepoFile(
      "tests/fixtures/arxiv/oai-pmh/"
      "hepcrawl__oai_listrecords_arXiv_hep-th_2017-12-14.xml");
  testing::ScriptedHttpServer api([&](const testing::SeenRequest& req) {
    if (req.path == "/api/query") return testing::ScriptedAnswer{200, atom};
    if (req.params.count("resumptionToken")) {
      return testing::ScriptedAnswer{200, page2};
    }
    return testing::ScriptedAnswer{200, page1};
  });
  std::map<std::string, std::string> env = {
      {"ARXIV_API_URL", api.url("/api/query")},
      {"ARXIV_OAI_URL", api.url("/oai")}};
  absl::StatusOr<AtomResponse> parsed = ParseArxivAtom(atom);
  ASSERT_TRUE(parsed.ok());
  std::string ids =
      parsed->papers[0].arxiv_id + "," + parsed->papers[1].arxiv_id;
  Output by_ids = Fetch({"--ids", ids}, env);
  ASSERT_EQ(by_ids.exit, 0) << by_ids.describe;
  EXPECT_EQ(by_ids.lines["status"], "fetched");
  EXPECT_EQ(Manifest(by_ids.lines["run_id"])["papers_to_score"], "2");

  // Categories of the fixtures, every announce type.
  std::ofstream(configs_ + "/config.ini")
      << "[FILTERING]\narxiv_category = physics.plasm-ph,hep-th\n"
         "announce_type = new,cross,replace,replace-cross\n"
         "force_primary = false\n[FETCHER]\nmin_request_interval_ms = 0\n";
  Output by_dates =
      Fetch({"--from", "2026-01-05", "--until", "2026-01-05"}, env);
  ASSERT_EQ(by_dates.exit, 0) << by_dates.describe;
  EXPECT_EQ(by_dates.lines["status"], "fetched");
  EXPECT_EQ(by_dates.lines["date"], "2026-01-05");
  std::map<std::string, std::string> m = Manifest(by_dates.lines["run_id"]);
  EXPECT_EQ(m["total_papers"], "6");  // both pages
  EXPECT_EQ(m["status"], "fetched");

  Output bad = Fetch({"--ids", "not-an-id"}, env);
  EXPECT_EQ(bad.exit, 2) << bad.describe;
}

}  // namespace
}  // namespace arxiv_digest
