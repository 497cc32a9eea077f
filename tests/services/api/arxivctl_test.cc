// The arxivctl binary as a subprocess against a real api server: every
// command, --help everywhere, exit codes, and a rescore with --watch.
#include <gtest/gtest.h>

#include <thread>

#include "lib/contract/paper_fate.h"
#include "tests/services/api/api_test_fixture.h"

namespace arxiv_digest::api::testing {
namespace {

struct CliResult {
  int code = -1;
  std::string out, err;
};

class ArxivctlTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    SeedRun("2025-04-08-d2", "2025-04-08", 1, 3, "published");
    SeedDigest("default", "2025-04-07", 1, "r7", 2, "seven");
    SeedDigest("default", "2025-04-08", 1, "2025-04-08-d2", 3, "eight-one");
    SeedDigest("default", "2025-04-08", 2, "2025-04-08-rx", 2, "eight-two");
  }

  CliResult Cli(std::vector<std::string> args,
                const std::string& token = kOperatorToken) {
    std::vector<std::string> full = {
        "--server", absl::StrCat("127.0.0.1:", port_), "--timeout", "10"};
    full.insert(full.end(), args.begin(), args.end());
    arxiv_digest::testing::SubprocessOptions options;
    options.binary =
        std::string(ARXIV_DIGEST_BINARY_DIR) + "/tools/arxivctl/arxivctl";
    options.args = full;
    if (token.empty()) {
      options.unset_env = {"ARXIVCTL_TOKEN"};
    } else {
      options.env["ARXIVCTL_TOKEN"] = token;
    }
    auto p = arxiv_digest::testing::Subprocess::Start(options);
    EXPECT_TRUE(p.ok()) << p.status();
    if (!p.ok()) return {};
    std::optional<int> code = (*p)->WaitFor(std::chrono::seconds(30));
    EXPECT_TRUE(code.has_value()) << (*p)->Describe();
    return CliResult{code.value_or(-1), (*p)->ReadStdout(), (*p)->ReadStderr()};
  }
};

TEST_F(ArxivctlTest, HelpForEveryCommand) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--help"},
                                             {"help"},
                                             {"trigger", "--help"},
                                             {"status", "--help"},
                                             {"rescore", "--help"},
                                             {"watch", "--help"},
                                             {"digest", "get", "--help"},
                                             {"digest", "list", "--help"},
                                             {"digest", "--help"},
                                             {"profiles", "--help"}}) {
    CliResult r = Cli(args);
    EXPECT_EQ(r.code, 0) << args[0] << r.err;
    EXPECT_NE(r.out.find("usage: arxivctl"), std::string::npos) << r.out;
  }
}

TEST_F(ArxivctlTest, VersionNamesTheToolAndItsRevision) {
  CliResult r = Cli({"--version"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("arxivctl ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("revision"), std::string::npos) << r.out;
}

TEST_F(ArxivctlTest, UsageErrorsExitTwo) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {},
           {"frobnicate"},
           {"status"},
           {"rescore"},
           {"rescore", "--run", "x", "--ids", "y"},
           {"digest", "get", "--format", "pdf"},
           {"trigger", "--bogus"},
           {"trigger", "--date", "2099-01-01"}}) {  // server-side validation
    CliResult r = Cli(args);
    EXPECT_EQ(r.code, 2) << (args.empty() ? "" : args[0]) << ": " << r.err;
    EXPECT_FALSE(r.err.empty());
  }
}

// arxivctl backfill --missing queues a catch-up trigger (kind catch_up)
// that the fetcher turns into one backfill run per missed day.
TEST_F(ArxivctlTest, BackfillMissingQueuesACatchUpTrigger) {
  CliResult r = Cli({"backfill"});
  EXPECT_EQ(r.code, 2) << r.err;
  r = Cli({"backfill", "--missing"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string run_id = r.out.substr(0, r.out.size() - 1);
  EXPECT_EQ(run_id.rfind("pending-t", 0), 0u) << run_id;
  std::map<std::string, std::string> manifest = HGetAll(keys::Run(run_id));
  EXPECT_EQ(manifest["kind"], "catch_up");
  EXPECT_EQ(manifest["status"], "requested");
  std::vector<StreamEntry> triggers = Stream(keys::TriggersStream());
  ASSERT_FALSE(triggers.empty());
  EXPECT_EQ(triggers.back().Field("run_id"), run_id);
  EXPECT_EQ(triggers.back().Field("missing_days"), "1");
  // A reader token may not ask for fetches.
  EXPECT_EQ(Cli({"backfill", "--missing"}, kReaderToken).code, 4);
}

TEST_F(ArxivctlTest, TriggerAndStatus) {
  CliResult r = Cli(
      {"trigger", "--categories", "cs.LG,cs.CL+cs.LG", "--date", "2025-04-09"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "2025-04-09-ta0000001\n");
  EXPECT_EQ(HGetAll(keys::Run("2025-04-09-ta0000001"))["categories"],
            "cs.LG,cs.CL+cs.LG");

  contract::PaperFate title_drop;
  title_drop.arxiv_id = "2504.00001";
  title_drop.stage = "title";
  title_drop.dropped = true;
  ASSERT_TRUE(
      redis_
          ->HSet(keys::RunFates("2025-04-08-d2"),
                 {{"2504.00001", contract::EncodePaperFate(title_drop)}})
          .ok());
  r = Cli({"status", "2025-04-08-d2"}, kReaderToken);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("status: published"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("stage title: kept 0, dropped 1\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("cost_usd: 0.25"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("prompt_tokens: 1200"), std::string::npos);

  r = Cli({"status", "2025-01-01-none"}, kReaderToken);
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("NOT_FOUND"), std::string::npos);
}

TEST_F(ArxivctlTest, AuthFailuresExitFour) {
  CliResult r = Cli({"trigger"}, kReaderToken);
  EXPECT_EQ(r.code, 4);
  EXPECT_NE(r.err.find("PERMISSION_DENIED"), std::string::npos);
  r = Cli({"status", "2025-04-08-d2"}, "");
  EXPECT_EQ(r.code, 4);
  EXPECT_NE(r.err.find("UNAUTHENTICATED"), std::string::npos);
  r = Cli({"--token", "not-a-real-token", "profiles"}, "");
  EXPECT_EQ(r.code, 4);
  EXPECT_EQ(r.err.find("not-a-real-token"), std::string::npos);
}

TEST_F(ArxivctlTest, DigestGetAndList) {
  CliResult r = Cli({"digest", "get", "--date", "2025-04-08"}, kReaderToken);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "md:eight-two\n");
  r = Cli({"digest", "get", "--date", "2025-04-08", "--version", "1",
           "--format", "json"},
          kReaderToken);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "json:eight-one\n");
  std::string file = configs_ + "/out.html";
  r = Cli({"digest", "get", "--format", "html", "-o", file}, kReaderToken);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(arxiv_digest::testing::ReadFileOrEmpty(file).find("eight-two"),
            std::string::npos);
  r = Cli({"digest", "get", "--profile", "nobody"}, kReaderToken);
  EXPECT_EQ(r.code, 3);

  r = Cli({"digest", "list"}, kReaderToken);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(
      r.out.find("2025-04-08        2         2         2  2025-04-08-rx"),
      std::string::npos)
      << r.out;
  EXPECT_LT(r.out.find("2025-04-08"), r.out.find("2025-04-07"));

  r = Cli({"profiles"}, kReaderToken);
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "default\nalice\n");
}

TEST_F(ArxivctlTest, RescoreDryRunAndWatch) {
  CliResult r =
      Cli({"rescore", "--run", "2025-04-08-d2", "--dry-run"}, kReaderToken);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("dry run: 3 papers in 1 job(s)"), std::string::npos)
      << r.out;

  std::string topics = configs_ + "/topics.txt";
  std::ofstream(topics) << "## Relevant Topics\n1. Quantum error correction\n";
  // The job completes while arxivctl watches it.
  std::thread finisher([&] {
    auto redis = *RedisClient::Connect(redis_server_->url());
    for (int i = 0; i < 100; ++i) {
      auto keys_now = redis->Command({"KEYS", "arxiv:run:2025-04-08-r*"});
      std::string job;
      for (const auto& k : keys_now->elements) {
        if (k.str.find(':', 10) == std::string::npos) {
          job = k.str.substr(std::string("arxiv:run:").size());
        }
      }
      if (!job.empty()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        for (int n = 1; n <= 3; ++n) {
          redis->HSet(keys::RunScores(job), {{PaperId(n), "{}"}}).IgnoreError();
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        redis->HSet(keys::Run(job), {{"status", "published"}}).IgnoreError();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  r = Cli({"rescore", "--run", "2025-04-08-d2", "--profile", "alice",
           "--topics-file", topics, "--watch"});
  finisher.join();
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("job: 2025-04-08-ra0000001 date: 2025-04-08"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("2025-04-08-ra0000001: done"), std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("] 100% 3/3 done"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("running"), std::string::npos) << r.err;
  EXPECT_EQ(HGetAll(keys::Run("2025-04-08-ra0000001"))["topics_override"],
            "## Relevant Topics\n1. Quantum error correction\n");

  r = Cli({"rescore", "--ids", "2504.99999"});
  EXPECT_EQ(r.code, 3) << r.err;
}

}  // namespace
}  // namespace arxiv_digest::api::testing
