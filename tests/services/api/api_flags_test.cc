// The api's command line (logic/api_flags.h, on top of lib/app's common
// flags) and its tokens file (adapters/token_file.h): defaults, overrides,
// which errors name which flag, and error messages that never contain a
// token. Unknown flags and --help are lib/app's (RunService).
#include "services/api/logic/api_flags.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "services/api/adapters/token_file.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest::api {
namespace {

// The command line as RunService parses it: the common flags plus the
// api's.
absl::StatusOr<ParsedFlags> ParseAll(std::vector<std::string> args) {
  args.insert(args.begin(), "api");
  std::vector<char*> argv;
  argv.reserve(args.size());
  for (std::string& a : args) argv.push_back(a.data());
  std::set<std::string> values = ApiValueFlags();
  values.insert({"--configs", "--admin-port", "--admin-host"});
  std::set<std::string> switches = ApiSwitchFlags();
  switches.insert("--help");
  return ParseFlags(static_cast<int>(argv.size()), argv.data(), 1, values,
                    switches);
}

absl::StatusOr<ApiFlags> Parse(std::vector<std::string> args,
                               const std::string& tokens_env = "") {
  absl::StatusOr<ParsedFlags> parsed = ParseAll(std::move(args));
  if (!parsed.ok()) return parsed.status();
  return ApiFlagsFrom(*parsed, tokens_env);
}

TEST(ApiFlagsTest, Defaults) {
  absl::StatusOr<ApiFlags> r = Parse({});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->grpc_host, "0.0.0.0");
  EXPECT_EQ(r->grpc_port, 50051);
  EXPECT_EQ(r->web_host, "0.0.0.0");
  EXPECT_EQ(r->web_port, 8080);
  EXPECT_EQ(r->rescore_burst, 5);
  EXPECT_EQ(r->rescore_period_seconds, 600);
  EXPECT_EQ(r->consumer, "api-1");
  EXPECT_TRUE(r->fanout);
  EXPECT_EQ(r->tokens_file, "");
}

TEST(ApiFlagsTest, Overrides) {
  absl::StatusOr<ApiFlags> r = Parse({"--configs",
                                      "/c",
                                      "--grpc-port=0",
                                      "--grpc-host",
                                      "127.0.0.1",
                                      "--admin-port",
                                      "1",
                                      "--admin-host",
                                      "h",
                                      "--web-port",
                                      "2",
                                      "--web-host",
                                      "w",
                                      "--web-base-url",
                                      "http://x",
                                      "--tls-cert",
                                      "c.pem",
                                      "--tls-key",
                                      "k.pem",
                                      "--rescore-burst",
                                      "0",
                                      "--rescore-period-seconds",
                                      "60",
                                      "--consumer",
                                      "api-2",
                                      "--no-fanout"});
  ASSERT_TRUE(r.ok()) << r.status();
  const ApiFlags& f = *r;
  EXPECT_EQ(f.grpc_port, 0);
  EXPECT_EQ(f.grpc_host, "127.0.0.1");
  EXPECT_EQ(f.web_port, 2);
  EXPECT_EQ(f.web_host, "w");
  EXPECT_EQ(f.web_base_url, "http://x");
  EXPECT_EQ(f.tls_cert, "c.pem");
  EXPECT_EQ(f.tls_key, "k.pem");
  EXPECT_EQ(f.rescore_burst, 0);
  EXPECT_EQ(f.rescore_period_seconds, 60);
  EXPECT_EQ(f.consumer, "api-2");
  EXPECT_FALSE(f.fanout);
}

TEST(ApiFlagsTest, TokensFlagBeatsEnvironment) {
  EXPECT_EQ(Parse({}, "/env/tokens")->tokens_file, "/env/tokens");
  EXPECT_EQ(Parse({"--tokens", "/flag"}, "/env/tokens")->tokens_file, "/flag");
}

TEST(ApiFlagsTest, UsageAndErrors) {
  EXPECT_NE(std::string(kApiUsage).find("--no-fanout"), std::string::npos);
  EXPECT_NE(std::string(kApiUsage).find("admin 9104"), std::string::npos);
  EXPECT_EQ(ParseAll({"--bogus"}).status().message(), "unknown flag --bogus");

  // A bad number names its flag. The first one in the fixed order counts,
  // --admin-port (lib/app's) included.
  EXPECT_EQ(Parse({"--web-port", "x", "--grpc-port", "y"}).status().message(),
            "--grpc-port: 'y' is not an integer");
  EXPECT_EQ(Parse({"--web-port", "x", "--admin-port", "z"}).status().message(),
            "--admin-port: 'z' is not an integer");
  EXPECT_EQ(Parse({"--rescore-period-seconds", "1m"}).status().message(),
            "--rescore-period-seconds: '1m' is not an integer");
}

TEST(ApiFlagsTest, NegativeLimitsAreRefusedNamingTheFlag) {
  // --rescore-burst 0 is the documented "no limit"; a negative burst or a
  // period of 0 would switch the limit off without saying so.
  EXPECT_EQ(Parse({"--rescore-burst", "-1"}).status().message(),
            "--rescore-burst must be at least 0 (got -1)");
  EXPECT_EQ(Parse({"--rescore-period-seconds", "0"}).status().message(),
            "--rescore-period-seconds must be at least 1 (got 0)");
  EXPECT_EQ(Parse({"--rescore-period-seconds", "-600"}).status().message(),
            "--rescore-period-seconds must be at least 1 (got -600)");
  for (const char* flag : {"--grpc-port", "--admin-port", "--web-port"}) {
    EXPECT_EQ(Parse({flag, "-5"}).status().message(),
              std::string(flag) + " must be at least 0 (got -5)");
  }
}

// A tokens file as an operator should write it: private to its owner.
void WritePrivate(const std::string& path, const std::string& text) {
  std::remove(path.c_str());  // a read-only file from an earlier step
  std::ofstream(path) << text;
  ASSERT_EQ(chmod(path.c_str(), 0600), 0) << path;
}

TEST(TokenFileTest, LoadsOrExplains) {
  absl::StatusOr<TokenTable> none = LoadTokenFile("");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  std::string dir = arxiv_digest::testing::TempDir("api-tokens-");
  absl::StatusOr<TokenTable> missing = LoadTokenFile(dir + "/absent");
  EXPECT_EQ(missing.status().message(),
            "--tokens: cannot read " + dir + "/absent");

  WritePrivate(dir + "/bad", "secret-token-0001 admin ci\n");
  absl::StatusOr<TokenTable> bad = LoadTokenFile(dir + "/bad");
  ASSERT_FALSE(bad.ok());
  std::string message(bad.status().message());
  EXPECT_EQ(message.rfind("--tokens: ", 0), 0u) << message;
  EXPECT_NE(message.find("line 1"), std::string::npos) << message;
  EXPECT_EQ(message.find("secret-token-0001"), std::string::npos) << message;

  WritePrivate(dir + "/good", "# ops\nop-token-0123456789 operator ci\n");
  absl::StatusOr<TokenTable> good = LoadTokenFile(dir + "/good");
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_EQ(good->size(), 1u);
  EXPECT_EQ(good->Find("op-token-0123456789")->name, "ci");
}

TEST(TokenFileTest, FileReadableByOthersIsRefusedNamingTheFix) {
  std::string dir = arxiv_digest::testing::TempDir("api-tokens-");
  const std::string path = dir + "/tokens";
  for (mode_t mode : {0644, 0604, 0606, 0620, 0660}) {
    WritePrivate(path, "op-token-0123456789 operator ci\n");
    ASSERT_EQ(chmod(path.c_str(), mode), 0);
    absl::StatusOr<TokenTable> open = LoadTokenFile(path);
    ASSERT_FALSE(open.ok()) << std::oct << mode;
    std::string message(open.status().message());
    EXPECT_EQ(message.rfind("--tokens: ", 0), 0u) << message;
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("chmod 600"), std::string::npos) << message;
    EXPECT_EQ(message.find("op-token-0123456789"), std::string::npos)
        << message;
  }
  for (mode_t mode : {0600, 0400}) {
    ASSERT_EQ(chmod(path.c_str(), mode), 0);
    EXPECT_TRUE(LoadTokenFile(path).ok()) << std::oct << mode;
  }
  // Only comments (deploy/docker's example): no secret to protect.
  WritePrivate(path, "# no tokens\n");
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  EXPECT_TRUE(LoadTokenFile(path).ok());
}

TEST(TokenFileTest, ModePolicy) {
  const uint32_t kUser = 1000;
  EXPECT_TRUE(CheckTokenFileMode("/t", 0100600, kUser).ok());
  EXPECT_TRUE(CheckTokenFileMode("/t", 0100400, kUser).ok());
  EXPECT_FALSE(CheckTokenFileMode("/t", 0100640, kUser).ok());
  EXPECT_FALSE(CheckTokenFileMode("/t", 0100604, kUser).ok());
  // Root-owned with group read: a Kubernetes Secret volume (root:fsGroup,
  // defaultMode 0440) that a non-root service reads through its group.
  EXPECT_TRUE(CheckTokenFileMode("/t", 0100440, 0).ok());
  EXPECT_TRUE(CheckTokenFileMode("/t", 0100640, 0).ok());
  EXPECT_FALSE(CheckTokenFileMode("/t", 0100460, 0).ok());
  EXPECT_FALSE(CheckTokenFileMode("/t", 0100444, 0).ok());
  absl::Status s = CheckTokenFileMode("/etc/api/tokens", 0100644, kUser);
  EXPECT_EQ(s.message(),
            "/etc/api/tokens is readable or writable by others (mode 0644): "
            "it holds bearer tokens; run chmod 600 /etc/api/tokens");
}

}  // namespace
}  // namespace arxiv_digest::api
