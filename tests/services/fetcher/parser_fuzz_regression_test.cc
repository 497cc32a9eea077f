// The fuzz target's body (fuzz/feed_parser_fuzz.h) under the regular build:
// every fixture of tests/fixtures/arxiv/ and the sample days, truncated at
// many offsets and with random byte flips from a fixed seed. Catches in
// every ctest run what the fuzzer found once, without clang.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "fuzz/feed_parser_fuzz.h"
#include "tests/services/fetcher/fetcher_test_util.h"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  fs::path root = fs::path(ARXIV_DIGEST_SOURCE_DIR) / "tests/fixtures/arxiv";
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  // One small real day feed too: the layout the live service serves.
  files.push_back(std::string(ARXIV_DIGEST_SOURCE_DIR) +
                  "/data/sample/2025-04-08/cs.SD+eess.AS.xml");
  std::sort(files.begin(), files.end());
  return files;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(ParserFuzzRegressionTest, CorpusAsIs) {
  std::vector<std::string> files = CorpusFiles();
  ASSERT_GE(files.size(), 12u);
  for (const std::string& f : files) {
    EXPECT_EQ(fuzz::RunFeedParsers(Slurp(f)), "") << f;
  }
}

TEST(ParserFuzzRegressionTest, TruncationsAtManyOffsets) {
  int inputs = 0;
  for (const std::string& f : CorpusFiles()) {
    std::string xml = Slurp(f);
    // ~200 cuts per file, plus every offset of the first 300 bytes (the
    // header and the first tags, where parsers branch most).
    size_t step = std::max<size_t>(1, xml.size() / 200);
    for (size_t cut = 0; cut < xml.size(); cut += (cut < 300 ? 1 : step)) {
      ASSERT_EQ(fuzz::RunFeedParsers(std::string_view(xml).substr(0, cut)), "")
          << f << " cut at " << cut;
      ++inputs;
    }
  }
  EXPECT_GT(inputs, 3000);
}

TEST(ParserFuzzRegressionTest, RandomByteFlipsFixedSeed) {
  std::mt19937 rng(20250408);
  int inputs = 0;
  for (const std::string& f : CorpusFiles()) {
    const std::string original = Slurp(f);
    if (original.empty()) continue;
    for (int round = 0; round < 60; ++round) {
      std::string xml = original;
      int flips = 1 + static_cast<int>(rng() % 16);
      for (int i = 0; i < flips; ++i) {
        size_t at = rng() % xml.size();
        switch (rng() % 4) {
          case 0:  // any byte, invalid UTF-8 included
            xml[at] = static_cast<char>(rng() & 0xFF);
            break;
          case 1:  // markup characters in odd places
            xml[at] = "<>&;/\"'!?]"[rng() % 10];
            break;
          case 2:  // delete a span
            xml.erase(at, rng() % 64);
            break;
          default:  // duplicate a span (nested / repeated elements)
            xml.insert(at, xml.substr(at, rng() % 128));
        }
        if (xml.empty()) xml = "<";
      }
      ASSERT_EQ(fuzz::RunFeedParsers(xml), "") << f << " round " << round;
      ++inputs;
    }
  }
  EXPECT_GT(inputs, 600);
}

}  // namespace
}  // namespace arxiv_digest
