// The scorer's own flags (the common ones, --help and unknown flags are
// lib/app's) and its backend choice.
#include "services/scorer/logic/scorer_flags.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace arxiv_digest {
namespace {

// What the scorer gets after lib/app's parsing of its command line.
absl::StatusOr<ScorerFlags> Read(std::vector<std::string> args) {
  args.insert(args.begin(), "scorer");
  std::vector<char*> argv;
  argv.reserve(args.size());
  for (std::string& a : args) argv.push_back(a.data());
  std::set<std::string> values = ScorerValueFlags();
  values.insert({"--configs", "--admin-port", "--admin-host"});
  absl::StatusOr<ParsedFlags> flags = ParseFlags(
      static_cast<int>(argv.size()), argv.data(), 1, values, {"--help"});
  if (!flags.ok()) return flags.status();
  return ReadScorerFlags(*flags, "host-42");
}

TEST(ScorerFlagsTest, DefaultsAndValues) {
  absl::StatusOr<ScorerFlags> d = Read({});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->consumer, "host-42");
  EXPECT_EQ(d->admin_port, 9102);
  EXPECT_EQ(d->claim_idle_ms, 60000);
  EXPECT_EQ(d->max_deliveries, 5);
  EXPECT_EQ(d->batch_fill_ms, 300);

  absl::StatusOr<ScorerFlags> s =
      Read({"--consumer", "c7", "--configs=dir", "--max-deliveries", "2",
            "--batch-fill-ms", "0", "--claim-idle-ms", "10"});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->consumer, "c7");
  EXPECT_EQ(s->max_deliveries, 2);
  EXPECT_EQ(s->batch_fill_ms, 0);
  EXPECT_EQ(s->claim_idle_ms, 10);
}

TEST(ScorerFlagsTest, BadNumberNamesTheFlag) {
  for (const char* flag : {"--admin-port", "--claim-idle-ms",
                           "--max-deliveries", "--batch-fill-ms"}) {
    absl::StatusOr<ScorerFlags> bad = Read({flag, "x"});
    ASSERT_FALSE(bad.ok()) << flag;
    EXPECT_EQ(bad.status().message(),
              std::string(flag) + ": 'x' is not an integer");
  }
  // The scorer's flags are known to the parser; others are not.
  EXPECT_FALSE(Read({"--bogus"}).ok());
  EXPECT_NE(std::string(kScorerUsage).find("usage: scorer"), std::string::npos);
}

TEST(ScorerFlagsTest, NegativeNumberIsRefusedNamingTheFlag) {
  // A negative --max-deliveries or --claim-idle-ms would switch the limit
  // off silently (0 is the documented way).
  for (const char* flag : {"--admin-port", "--claim-idle-ms",
                           "--max-deliveries", "--batch-fill-ms"}) {
    absl::StatusOr<ScorerFlags> bad = Read({flag, "-1"});
    ASSERT_FALSE(bad.ok()) << flag;
    EXPECT_EQ(bad.status().message(),
              std::string(flag) + " must be at least 0 (got -1)");
  }
  absl::StatusOr<ScorerFlags> zero =
      Read({"--max-deliveries", "0", "--claim-idle-ms", "0"});
  ASSERT_TRUE(zero.ok()) << zero.status();
  EXPECT_EQ(zero->max_deliveries, 0);
}

TEST(ScorerFlagsTest, LlmConfigurationForReadiness) {
  EXPECT_TRUE(LlmConfigUsable("lexical", "", ""));
  EXPECT_TRUE(LlmConfigUsable("openai", "sk-x", "https://api.openai.com/v1"));
  EXPECT_FALSE(LlmConfigUsable("openai", "", "https://api.openai.com/v1"));
  EXPECT_FALSE(LlmConfigUsable("openai", "sk-x", ""));
  EXPECT_FALSE(LlmConfigUsable("claude", "sk-x", "https://x"));
}

TEST(ScorerFlagsTest, BackendChoice) {
  EXPECT_EQ(*ChooseBackend("", "key"), "openai");
  EXPECT_EQ(*ChooseBackend("lexical", ""), "lexical");
  absl::StatusOr<std::string> other = ChooseBackend("claude", "key");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().message(),
            "SCORER_BACKEND: 'claude' is not openai or lexical");
  absl::StatusOr<std::string> no_key = ChooseBackend("openai", "");
  ASSERT_FALSE(no_key.ok());
  EXPECT_NE(no_key.status().message().find("OPENAI_API_KEY: not set"),
            std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
