// The gzip storage of rendered digests (lib/redis/stored_text.h), on the
// real reference digests.
#include "lib/redis/stored_text.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/subprocess.h"

namespace arxiv_digest {
namespace {

std::string ReadReference(const std::string& name) {
  std::string text =
      testing::ReadFileOrEmpty(std::string(ARXIV_DIGEST_SOURCE_DIR) +
                               "/tests/fixtures/reference/" + name);
  EXPECT_FALSE(text.empty()) << name;
  return text;
}

TEST(StoredTextTest, RealDigestsRoundTripAndShrink) {
  for (const char* name : {"digest-2025-04-08.md", "scored-2025-04-22.json"}) {
    const std::string text = ReadReference(name);
    ASSERT_GT(text.size(), 50000u) << name;
    const std::string packed = PackStoredText(text);
    EXPECT_TRUE(IsPackedText(packed));
    // The reason for packing: digests are mostly repeated words and markup.
    EXPECT_LT(packed.size() * 2, text.size()) << name;
    absl::StatusOr<std::string> back = UnpackStoredText(packed);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, text) << name;
  }
}

TEST(StoredTextTest, EmptyTextRoundTrips) {
  const std::string packed = PackStoredText("");
  EXPECT_TRUE(IsPackedText(packed));
  EXPECT_EQ(UnpackStoredText(packed).value(), "");
}

TEST(StoredTextTest, PlainValuesFromOlderPublishersPassThrough) {
  for (const std::string& plain :
       {std::string("# Personalized Daily ArXiv Papers"), std::string("{}"),
        std::string("<!DOCTYPE html>"), std::string("")}) {
    EXPECT_FALSE(IsPackedText(plain)) << plain;
    EXPECT_EQ(UnpackStoredText(plain).value(), plain);
  }
}

TEST(StoredTextTest, TruncatedValueIsDataLoss) {
  const std::string packed =
      PackStoredText(ReadReference("digest-2025-04-08.md"));
  absl::StatusOr<std::string> r =
      UnpackStoredText(packed.substr(0, packed.size() - 10));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << r.status();
  EXPECT_NE(r.status().message().find("truncated"), std::string::npos)
      << r.status();
}

TEST(StoredTextTest, CorruptValueIsDataLoss) {
  std::string packed = PackStoredText(ReadReference("digest-2025-04-08.md"));
  for (size_t i = 20; i < 60; ++i) packed[i] = static_cast<char>(0xff);
  EXPECT_EQ(UnpackStoredText(packed).status().code(),
            absl::StatusCode::kDataLoss);
  // Only the magic bytes, nothing after them.
  EXPECT_EQ(UnpackStoredText(std::string("\x1f\x8b", 2)).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(StoredTextTest, BytesAfterTheGzipEndAreDataLoss) {
  const std::string packed = PackStoredText("one digest");
  EXPECT_EQ(UnpackStoredText(packed + "junk").status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(StoredTextTest, InflatingPastTheCapIsRefused) {
  // 8 MiB of one byte packs to a few KB: a value that would inflate past
  // the reader's cap is refused before it is all in memory.
  const std::string bomb = PackStoredText(std::string(8 << 20, 'a'));
  ASSERT_LT(bomb.size(), 64u << 10);
  absl::StatusOr<std::string> r = UnpackStoredText(bomb, 1 << 20);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted)
      << r.status();
  EXPECT_TRUE(UnpackStoredText(bomb, 8 << 20).ok());
  // The cap applies to plain values too.
  EXPECT_EQ(UnpackStoredText(std::string(100, 'x'), 99).status().code(),
            absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace arxiv_digest
