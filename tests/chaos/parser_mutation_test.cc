// The reply- and config-parser fuzz targets' checks under the normal build,
// on every ctest run (no clang/libFuzzer needed): each seed of
// fuzz/corpus/reply and fuzz/corpus/config, then deterministic mutations of
// it (every truncation point of short seeds or a spread of them, seeded
// byte flips, insertions of tokens that broke parsers before), through
// exactly the code the fuzzers run (fuzz/*_fuzz.h). Also the inputs that the
// fuzzers found, as named regressions.
#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "fuzz/config_parser_fuzz.h"
#include "fuzz/reply_parser_fuzz.h"
#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest::fuzz {
namespace {

namespace fs = std::filesystem;

std::vector<std::pair<std::string, std::string>> Corpus(const char* name) {
  std::vector<std::pair<std::string, std::string>> seeds;
  const fs::path dir = fs::path(ARXIV_DIGEST_SOURCE_DIR) / "fuzz/corpus" / name;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      seeds.emplace_back(entry.path().filename().string(),
                         testing::ReadFileOrEmpty(entry.path().string()));
    }
  }
  std::sort(seeds.begin(), seeds.end());
  return seeds;
}

// Deterministic variants of one seed: truncations, byte flips, token
// insertions and a doubled copy. Same seed, same variants, every run.
std::vector<std::string> Mutations(const std::string& seed) {
  std::vector<std::string> out;
  const size_t step = std::max<size_t>(1, seed.size() / 200);
  for (size_t cut = 0; cut < seed.size(); cut += step) {
    out.push_back(seed.substr(0, cut));
  }
  std::mt19937 rng(static_cast<uint32_t>(seed.size()) * 2654435761u);
  for (int i = 0; i < 300 && !seed.empty(); ++i) {
    std::string m = seed;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      m[rng() % m.size()] = static_cast<char>(rng() & 0xff);
    }
    out.push_back(std::move(m));
  }
  static const char* kTokens[] = {"nan",
                                  "-nan",
                                  "inf",
                                  "1e309",
                                  "-1e309",
                                  "99999999999999999999",
                                  "{",
                                  "}",
                                  "[",
                                  "]",
                                  "\"",
                                  "\\",
                                  "\n",
                                  "\r\n",
                                  "```",
                                  "```json\n",
                                  ",",
                                  ":",
                                  "=",
                                  ";",
                                  "#",
                                  "[SELECTION]",
                                  "\xff",
                                  "\xc3",
                                  "\xe2\x80\xa8",
                                  "null",
                                  "\"RELEVANCE\": ",
                                  "\"ARXIVID\": \"2504.00001\", ",
                                  "0x10",
                                  "-0"};
  for (const char* token : kTokens) {
    for (int i = 0; i < 8; ++i) {
      std::string m = seed;
      m.insert(seed.empty() ? 0 : rng() % (seed.size() + 1), token);
      out.push_back(std::move(m));
    }
  }
  out.push_back(std::string("\0", 1) + seed);
  out.push_back(seed + seed);
  return out;
}

TEST(ParserMutationTest, ReplyCorpusAndMutations) {
  const auto corpus = Corpus("reply");
  ASSERT_GE(corpus.size(), 10u) << "fuzz/corpus/reply is missing seeds";
  size_t inputs = 0;
  for (const auto& [name, seed] : corpus) {
    ASSERT_EQ(RunReplyParsers(seed), "") << "seed " << name;
    for (const std::string& m : Mutations(seed)) {
      ++inputs;
      const std::string failure = RunReplyParsers(m);
      ASSERT_EQ(failure, "")
          << "mutation of " << name << ": input [" << m.substr(0, 400) << "]";
    }
  }
  std::cerr << inputs << " reply inputs\n";
}

TEST(ParserMutationTest, ConfigCorpusAndMutations) {
  const auto corpus = Corpus("config");
  ASSERT_GE(corpus.size(), 5u) << "fuzz/corpus/config is missing seeds";
  size_t inputs = 0;
  for (const auto& [name, seed] : corpus) {
    ASSERT_EQ(RunConfigParsers(seed), "") << "seed " << name;
    for (const std::string& m : Mutations(seed)) {
      ++inputs;
      const std::string failure = RunConfigParsers(m);
      ASSERT_EQ(failure, "")
          << "mutation of " << name << ": input [" << m.substr(0, 400) << "]";
    }
  }
  std::cerr << inputs << " config inputs\n";
}

// Found by config_parser_fuzzer: "author_match_score = 1e32147483648"
// parsed as +inf and was accepted (the digest would print SCORE inf and the
// JSON writer cannot write it); "nan" passed the 0..1 range check of
// prefilter_keep_share because every comparison with NaN is false.
TEST(ParserMutationTest, ConfigRejectsNonFiniteNumbers) {
  for (const char* setting :
       {"author_match_score = 1e32147483648", "author_match_score = inf",
        "author_match_score = nan", "prefilter_keep_share = nan",
        "prefilter_keep_share = -nan", "prefilter_keep_share = inf"}) {
    const std::string text = std::string("[SELECTION]\n") + setting +
                             "\n[FILTERING]\narxiv_category = cs.LG\n";
    absl::StatusOr<IniFile> ini = ParseIni(text);
    ASSERT_TRUE(ini.ok()) << ini.status();
    absl::StatusOr<Config> config = ConfigFromIni(*ini);
    EXPECT_FALSE(config.ok()) << setting << " was accepted";
    if (!config.ok()) {
      EXPECT_TRUE(absl::StartsWith(config.status().message(), "[SELECTION] "))
          << config.status().message();
    }
    EXPECT_EQ(RunConfigParsers(text), "") << setting;
  }
}

}  // namespace
}  // namespace arxiv_digest::fuzz
