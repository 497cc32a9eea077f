#include "services/publisher/adapters/render_command.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;

const std::string kRepo = ARXIV_DIGEST_SOURCE_DIR;
const std::string kReference = kRepo + "/tests/fixtures/reference/";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class RenderCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("render_command_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Runs `publisher render ARGS`, capturing both streams.
  int Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"publisher", "render"});
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    out_.str("");
    err_.str("");
    return RunRenderCommand(static_cast<int>(argv.size()), argv.data(),
                            "publisher 1.2.3 (revision test, Release)", out_,
                            err_);
  }

  // The flags that reproduce digest-2025-04-22.md.
  std::vector<std::string> ReferenceArgs() {
    return {"--scored",
            kReference + "scored-2025-04-22.json",
            "--date",
            "2025-04-22",
            "--model",
            "gpt-4o",
            "--prompt-tokens",
            "51438",
            "--completion-tokens",
            "7285",
            "--total-papers",
            "791",
            "--scanned-papers",
            "462",
            "--configs",
            kRepo + "/configs",
            "--out",
            (dir_ / "digest.md").string()};
  }

  fs::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(RenderCommandTest, ReproducesReferenceDigestByteForByte) {
  std::vector<std::string> args = ReferenceArgs();
  args.insert(args.end(), {"--json-out", (dir_ / "digest.json").string(),
                           "--html-out", (dir_ / "digest.html").string()});
  ASSERT_EQ(Run(args), 0) << err_.str();
  const std::string expected = ReadAll(kReference + "digest-2025-04-22.md");
  ASSERT_FALSE(expected.empty());
  const std::string actual = ReadAll((dir_ / "digest.md").string());
  EXPECT_EQ(actual.size(), expected.size());
  EXPECT_TRUE(actual == expected)
      << "first difference at byte "
      << std::mismatch(actual.begin(), actual.end(), expected.begin(),
                       expected.end())
                 .first -
             actual.begin();
  EXPECT_EQ(ReadAll((dir_ / "digest.json").string()),
            ReadAll(kReference + "scored-2025-04-22.json"));
  EXPECT_NE(ReadAll((dir_ / "digest.html").string()).find("<!DOCTYPE html>"),
            std::string::npos);
}

TEST_F(RenderCommandTest, AcceptsEqualsSyntaxAndCachedTokens) {
  std::vector<std::string> args = ReferenceArgs();
  args.push_back("--cached-tokens=51438");
  ASSERT_EQ(Run(args), 0) << err_.str();
  // All prompt tokens cached: 51438 * 1.25 / 1M = 0.0642975 -> $0.06.
  EXPECT_NE(ReadAll((dir_ / "digest.md").string())
                .find("| **Cost**     | $0.06    | $0.07        | $0.14   |"),
            std::string::npos);
}

TEST_F(RenderCommandTest, HelpGoesToStdout) {
  EXPECT_EQ(Run({"--help"}), 0);
  EXPECT_NE(out_.str().find("--scored"), std::string::npos);
}

// `publisher render --version` prints the line `publisher --version` prints
// (main passes VersionLine("publisher")), even after other flags.
TEST_F(RenderCommandTest, VersionPrintsTheGivenVersionLine) {
  EXPECT_EQ(Run({"--version"}), 0);
  EXPECT_EQ(out_.str(), "publisher 1.2.3 (revision test, Release)\n");
  EXPECT_EQ(err_.str(), "");
  EXPECT_EQ(Run({"--date", "2025-04-22", "--version"}), 0);
  EXPECT_EQ(out_.str(), "publisher 1.2.3 (revision test, Release)\n");
}

// Drops `flag` (and its value) from the reference arguments.
std::vector<std::string> Without(std::vector<std::string> args,
                                 const std::string& flag) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == flag) {
      args.erase(args.begin() + i, args.begin() + i + 2);
      break;
    }
  }
  return args;
}

TEST_F(RenderCommandTest, MissingFlagsAreUsageErrorsNamingTheFlag) {
  for (const char* flag :
       {"--scored", "--date", "--model", "--prompt-tokens",
        "--completion-tokens", "--total-papers", "--scanned-papers", "--out"}) {
    EXPECT_EQ(Run(Without(ReferenceArgs(), flag)), 2) << flag;
    EXPECT_NE(err_.str().find(flag), std::string::npos) << err_.str();
  }
}

TEST_F(RenderCommandTest, InvalidValuesAreUsageErrors) {
  std::vector<std::string> args = ReferenceArgs();
  args[3] = "22-04-2025";  // --date value
  EXPECT_EQ(Run(args), 2);
  EXPECT_NE(err_.str().find("--date"), std::string::npos);

  args = ReferenceArgs();
  args[7] = "12x";  // --prompt-tokens value
  EXPECT_EQ(Run(args), 2);
  EXPECT_NE(err_.str().find("--prompt-tokens"), std::string::npos);

  args = ReferenceArgs();
  args.insert(args.end(), {"--cached-tokens", "-1"});
  EXPECT_EQ(Run(args), 2);
  EXPECT_NE(err_.str().find("--cached-tokens"), std::string::npos);

  args = ReferenceArgs();
  args.push_back("--bogus");
  EXPECT_EQ(Run(args), 2);
  EXPECT_NE(err_.str().find("--bogus"), std::string::npos);

  args = ReferenceArgs();
  args.push_back("--json-out");  // no value
  EXPECT_EQ(Run(args), 2);
  EXPECT_NE(err_.str().find("--json-out"), std::string::npos);
}

TEST_F(RenderCommandTest, UnreadableFilesExitOneNamingTheFile) {
  std::vector<std::string> args = ReferenceArgs();
  const std::string missing = (dir_ / "nope.json").string();
  args[1] = missing;
  EXPECT_EQ(Run(args), 1);
  EXPECT_NE(err_.str().find(missing), std::string::npos) << err_.str();

  args = ReferenceArgs();
  args[15] = dir_.string();  // --configs without prompt files
  EXPECT_EQ(Run(args), 1);
  EXPECT_NE(err_.str().find("base_prompt.txt"), std::string::npos)
      << err_.str();

  const std::string bad = (dir_ / "bad.json").string();
  std::ofstream(bad) << "{not json";
  args = ReferenceArgs();
  args[1] = bad;
  EXPECT_EQ(Run(args), 1);
  EXPECT_NE(err_.str().find(bad), std::string::npos) << err_.str();

  args = ReferenceArgs();
  args[17] = (dir_ / "no_such_dir" / "digest.md").string();  // --out
  EXPECT_EQ(Run(args), 1);
  EXPECT_NE(err_.str().find("no_such_dir"), std::string::npos) << err_.str();
}

}  // namespace
}  // namespace arxiv_digest
