// The fetcher's command line: defaults, the modes each flag selects, and
// every rejection with the message main.cc prints (naming the flag).
#include "services/fetcher/logic/fetcher_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace arxiv_digest {
namespace {

using ::testing::ElementsAre;

ParsedFetcherOptions Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "fetcher");
  std::vector<char*> argv;
  argv.reserve(args.size());
  for (std::string& a : args) argv.push_back(a.data());
  return ParseFetcherOptions(static_cast<int>(argv.size()), argv.data());
}

FetcherOptions Ok(std::vector<std::string> args) {
  ParsedFetcherOptions p = Parse(std::move(args));
  EXPECT_FALSE(p.error.has_value()) << p.error->message;
  return p.options.value_or(FetcherOptions{});
}

// The message, or "" when the flags were accepted.
std::string Error(std::vector<std::string> args, bool show_usage = false) {
  ParsedFetcherOptions p = Parse(std::move(args));
  if (!p.error) return "";
  EXPECT_FALSE(p.options.has_value());
  EXPECT_EQ(p.error->show_usage, show_usage) << p.error->message;
  EXPECT_EQ(p.error->exit_code, 2);
  return p.error->message;
}

TEST(FetcherOptionsTest, Defaults) {
  FetcherOptions o = Ok({});
  EXPECT_FALSE(o.help);
  EXPECT_EQ(o.configs, "configs");
  EXPECT_EQ(o.admin_port, 9101);
  EXPECT_EQ(o.admin_host, "0.0.0.0");
  EXPECT_EQ(o.interval, std::chrono::seconds(3600));
  EXPECT_FALSE(o.once || o.force || o.triggers_only || o.backfill());
  EXPECT_FALSE(o.consumer.has_value());
}

TEST(FetcherOptionsTest, ValuesAndSwitches) {
  FetcherOptions o = Ok({"--configs=/c", "--admin-port", "0", "--admin-host",
                         "127.0.0.1", "--interval-seconds=5", "--force",
                         "--triggers-only", "--consumer", "f-1"});
  EXPECT_EQ(o.configs, "/c");
  EXPECT_EQ(o.admin_port, 0);
  EXPECT_EQ(o.admin_host, "127.0.0.1");
  EXPECT_EQ(o.interval, std::chrono::seconds(5));
  EXPECT_TRUE(o.force);
  EXPECT_TRUE(o.triggers_only);
  EXPECT_FALSE(o.once);
  EXPECT_EQ(o.consumer, "f-1");
}

TEST(FetcherOptionsTest, HelpAnswersWhateverElseIsWrong) {
  EXPECT_TRUE(Ok({"--help", "--interval-seconds", "0"}).help);
  EXPECT_TRUE(Ok({"--help", "--until", "2025-01-01"}).help);
  // ...but not a malformed command line.
  EXPECT_EQ(Error({"--help", "--bogus"}, /*show_usage=*/true),
            "unknown flag --bogus");
}

TEST(FetcherOptionsTest, MalformedFlagsShowTheUsage) {
  EXPECT_EQ(Error({"--bogus"}, true), "unknown flag --bogus");
  EXPECT_EQ(Error({"--once=1"}, true), "--once takes no value");
  EXPECT_EQ(Error({"--interval-seconds"}, true),
            "--interval-seconds needs a value");
}

TEST(FetcherOptionsTest, IntervalAndAdminPort) {
  EXPECT_EQ(Error({"--interval-seconds", "0"}),
            "--interval-seconds must be a positive integer");
  EXPECT_EQ(Error({"--interval-seconds", "-3"}),
            "--interval-seconds must be a positive integer");
  EXPECT_EQ(Error({"--interval-seconds", "x"}),
            "--interval-seconds must be a positive integer");
  // The admin port is reported first.
  EXPECT_EQ(Error({"--admin-port", "x", "--interval-seconds", "0"}),
            "--admin-port: 'x' is not an integer");
  EXPECT_EQ(Error({"--admin-port", "-1"}), "--admin-port must be at least 0");
}

TEST(FetcherOptionsTest, IdsBackfillImpliesOnce) {
  FetcherOptions o = Ok({"--ids", "2504.01234v2, 2504.05678,2504.01234"});
  EXPECT_THAT(o.ids, ElementsAre("2504.01234", "2504.05678"));
  EXPECT_TRUE(o.backfill());
  EXPECT_TRUE(o.once);
  EXPECT_EQ(Error({"--ids", "12,bad"}), "--ids: '12' is not an arXiv id");
  EXPECT_THAT(Ok({"--ids", "arXiv:math.GT/0309136v3,hep-th/9901001"}).ids,
              ElementsAre("math.GT/0309136", "hep-th/9901001"));
  EXPECT_EQ(Error({"--ids", "arXiv:2504.01234v0"}),
            "--ids: 'arXiv:2504.01234v0' is not an arXiv id");
  // An empty list is no backfill.
  EXPECT_FALSE(Ok({"--ids="}).backfill());
}

TEST(FetcherOptionsTest, DateRangeBackfill) {
  FetcherOptions o = Ok({"--from", "2025-04-01"});
  EXPECT_EQ(o.until, "2025-04-01");  // one day
  EXPECT_TRUE(o.once);
  o = Ok({"--from", "2025-04-01", "--until", "2025-04-03", "--force",
          "--triggers-only"});
  EXPECT_EQ(o.until, "2025-04-03");
  EXPECT_TRUE(o.force);
  EXPECT_FALSE(o.triggers_only);  // a backfill runs once
  EXPECT_EQ(Error({"--until", "2025-01-01"}), "--until needs --from");
  EXPECT_EQ(Error({"--from", "2025-13-01"}),
            "--from: '2025-13-01' is not a YYYY-MM-DD date");
  // A day that does not exist (Date::Parse), not just a well-formed one.
  EXPECT_EQ(Error({"--from", "2025-02-28", "--until", "2025-02-30"}),
            "--until: '2025-02-30' is not a YYYY-MM-DD date");
  EXPECT_EQ(Error({"--from", "2025-02-01", "--until", "2025-01-01"}),
            "--until 2025-01-01 is before --from 2025-02-01");
  EXPECT_EQ(Error({"--ids", "2504.01234", "--from", "2025-01-01"}),
            "--ids and --from are exclusive");
}

TEST(FetcherOptionsTest, OnceWinsOverTriggersOnly) {
  FetcherOptions o = Ok({"--once", "--triggers-only"});
  EXPECT_TRUE(o.once);
  EXPECT_FALSE(o.triggers_only);
}

// The same flag sets RunService is given: every flag of the usage.
TEST(FetcherOptionsTest, FlagSetsMatchTheParser) {
  ParsedFlags flags;
  flags.values["--interval-seconds"] = "0";
  ASSERT_TRUE(FetcherOptionsFromFlags(flags).error.has_value());
  EXPECT_EQ(FetcherOptionsFromFlags(flags).error->message,
            "--interval-seconds must be a positive integer");
  EXPECT_EQ(FetcherValueFlags().count("--consumer"), 1u);
  EXPECT_EQ(FetcherSwitchFlags().count("--triggers-only"), 1u);
}

TEST(FetcherOptionsTest, EmptyConsumerIsKept) {
  EXPECT_EQ(Ok({"--consumer="}).consumer, "");
}

TEST(FetcherOptionsTest, UsageNamesEveryFlag) {
  for (const char* flag :
       {"--configs", "--once", "--force", "--interval-seconds", "--ids",
        "--from", "--until", "--admin-port", "--admin-host", "--triggers-only",
        "--consumer"}) {
    EXPECT_NE(std::string(kFetcherUsage).find(flag), std::string::npos) << flag;
  }
}

}  // namespace
}  // namespace arxiv_digest
