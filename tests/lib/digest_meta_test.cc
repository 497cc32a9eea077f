#include "lib/contract/digest_meta.h"

#include <gtest/gtest.h>

namespace arxiv_digest::contract {
namespace {

TEST(DigestMetaTest, RoundTrips) {
  DigestVersionMeta meta{3, "2025-04-22-r1a2b3c4d", 12, "2025-04-22T06:00:00Z"};
  std::string json = EncodeDigestMeta(meta);
  absl::StatusOr<DigestVersionMeta> back =
      DecodeDigestMeta(DigestMetaField(3), json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, meta);
}

// What the publisher wrote before the codec: published_at as epoch seconds.
// The api read it as a string and always got "" (no publication time).
TEST(DigestMetaTest, EpochSecondsFromOlderPublishersBecomeRfc3339) {
  absl::StatusOr<DigestVersionMeta> meta = DecodeDigestMeta(
      "v1",
      R"({"run_id":"2025-04-08-0a1b2c3d","version":1,"relevant_papers":10,)"
      R"("published_at":1744092000})");
  ASSERT_TRUE(meta.ok()) << meta.status();
  EXPECT_EQ(meta->published_at, "2025-04-08T06:00:00Z");
  EXPECT_EQ(meta->relevant_papers, 10);
}

// The publisher writes this score and the api ranges over it: one rule. A
// run published as "unknown-date" must not make ZADD fail ("not a float",
// as "unknowndate" did when the publisher stripped the dashes itself).
TEST(DigestMetaTest, IndexScoreIsTheDateAsANumber) {
  EXPECT_EQ(DigestIndexScore("2025-04-08"), 20250408);
  EXPECT_EQ(DigestIndexScore("2024-12-31"), 20241231);
  EXPECT_EQ(DigestIndexScore("unknown-date"), 0);
  EXPECT_EQ(DigestIndexScore("2025-02-30"), 0);
}

TEST(DigestMetaTest, FieldNamesAndVersions) {
  EXPECT_EQ(DigestMetaField(12), "v12");
  EXPECT_EQ(VersionOfMetaField("v12"), 12);
  EXPECT_EQ(VersionOfMetaField("v0"), std::nullopt);
  EXPECT_EQ(VersionOfMetaField("x1"), std::nullopt);
  EXPECT_EQ(VersionOfMetaField("v"), std::nullopt);
  EXPECT_EQ(VersionOfMetaField("v-1"), std::nullopt);
}

TEST(DigestMetaTest, RejectsWhatCannotBeTrusted) {
  EXPECT_FALSE(DecodeDigestMeta("v1", "not json").ok());
  EXPECT_FALSE(DecodeDigestMeta("v1", "[1]").ok());
  // A run id that would be a path trick.
  absl::StatusOr<DigestVersionMeta> bad_run = DecodeDigestMeta(
      "v1", R"({"run_id":"../x","relevant_papers":1,"published_at":""})");
  ASSERT_FALSE(bad_run.ok());
  EXPECT_NE(bad_run.status().message().find("run_id"), std::string::npos);
  absl::StatusOr<DigestVersionMeta> negative = DecodeDigestMeta(
      "v1", R"({"run_id":"r1","relevant_papers":-4,"published_at":""})");
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.status().message().find("relevant_papers"),
            std::string::npos);
  EXPECT_FALSE(DecodeDigestMeta("v1", R"({"run_id":"r1","relevant_papers":1,)"
                                      R"("published_at":"yesterday"})")
                   .ok());
  // Nested beyond the bound: refused before the recursive parser runs.
  std::string bomb(100000, '[');
  EXPECT_FALSE(DecodeDigestMeta("v1", bomb).ok());
}

}  // namespace
}  // namespace arxiv_digest::contract
