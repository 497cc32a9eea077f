// Untrusted JSON nested thousands of levels deep (a depth bomb) must give an
// error, not overflow the stack in a recursive parse (issue 12).
#include <gtest/gtest.h>

#include <string>

#include "lib/json/json_util.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace arxiv_digest {
namespace {

// About 1 MB: far past what the recursive parser survives on an 8 MB stack.
constexpr size_t kBombLevels = 500000;

std::string NestedArrays(size_t levels) {
  return std::string(levels, '[') + std::string(levels, ']');
}

std::string NestedObjects(size_t levels) {
  std::string out;
  out.reserve(levels * 7);
  for (size_t i = 0; i < levels; ++i) out += "{\"a\":";
  out += "1";
  out.append(levels, '}');
  return out;
}

TEST(JsonNestingTest, DeepArrayIsAnErrorNotACrash) {
  absl::StatusOr<rapidjson::Document> doc =
      ParseJson(NestedArrays(kBombLevels));
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(doc.status().message().find("nested deeper than"),
            std::string::npos)
      << doc.status();
}

TEST(JsonNestingTest, DeepObjectIsAnErrorNotACrash) {
  EXPECT_FALSE(ParseJson(NestedObjects(kBombLevels / 3)).ok());
  // The typed readers built on ParseJson fail the same way.
  EXPECT_FALSE(PaperFromJson(NestedObjects(kBombLevels / 3)).ok());
  EXPECT_FALSE(ScoreFromJson(NestedArrays(kBombLevels)).ok());
  EXPECT_FALSE(UsageFromJson(NestedArrays(kBombLevels)).ok());
}

// An unbalanced bomb (only opening brackets) is refused the same way.
TEST(JsonNestingTest, UnclosedDeepArrayIsAnError) {
  EXPECT_FALSE(ParseJson(std::string(kBombLevels, '[')).ok());
}

TEST(JsonNestingTest, NestingUpToTheLimitParses) {
  absl::StatusOr<rapidjson::Document> doc =
      ParseJson(NestedArrays(kMaxJsonNesting));
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_TRUE(doc->IsArray());
  EXPECT_FALSE(ParseJson(NestedArrays(kMaxJsonNesting + 1)).ok());
  // A parsed document within the limit can be walked recursively (Accept).
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
  doc->Accept(writer);
  EXPECT_EQ(std::string(buf.GetString()), NestedArrays(kMaxJsonNesting));
}

// Without the depth limit the iterative parser alone must still survive.
TEST(JsonNestingTest, IterativeParseSurvivesAnyDepth) {
  absl::StatusOr<rapidjson::Document> doc =
      ParseJson(NestedArrays(kBombLevels), static_cast<int>(kBombLevels));
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_TRUE(doc->IsArray());
}

TEST(JsonNestingTest, BracketsInStringsDoNotCount) {
  const std::string text = "{\"a\":\"" + std::string(1000, '[') + "\\\"" +
                           std::string(1000, '{') + "\"}";
  EXPECT_TRUE(CheckJsonNesting(text, 1).ok());
  absl::StatusOr<rapidjson::Document> doc = ParseJson(text, 1);
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_FALSE(CheckJsonNesting("[[\"]]\"]]", 1).ok());
  EXPECT_TRUE(CheckJsonNesting("[[\"]]\"]]", 2).ok());
}

}  // namespace
}  // namespace arxiv_digest
