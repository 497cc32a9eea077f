#include "lib/json/json_util.h"

#include <gtest/gtest.h>

namespace arxiv_digest {
namespace {

TEST(JsonUtilTest, PaperRoundTripKeepsEveryField) {
  Paper p;
  p.arxiv_id = "2504.03650";
  p.version = 2;
  p.title = "A \"quoted\" title\twith tab";
  p.authors = {"Mehmet Yama\\c{c}", "Zo\xC3\xAB Doe"};
  p.abstract = "Line one\nline two";
  p.announce_type = "cross";
  p.categories = {"cs.LG", "stat.ML"};
  p.feed = "cs.LG";
  p.position = 41;
  absl::StatusOr<Paper> back = PaperFromJson(PaperToJson(p));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, p);
}

TEST(JsonUtilTest, ScoreAndUsageRoundTrip) {
  Score s;
  s.arxiv_id = "2504.1";
  s.relevance = 9;
  s.novelty = 7;
  s.comment = "MoE";
  s.author_match = true;
  s.author_match_score = 20.5;
  s.scored = false;
  s.error = "why";
  s.prefiltered = true;
  s.cached = true;
  absl::StatusOr<Score> back = ScoreFromJson(ScoreToJson(s));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, s);
  TokenUsage u{100, 20, 30};
  absl::StatusOr<TokenUsage> ub = UsageFromJson(UsageToJson(u));
  ASSERT_TRUE(ub.ok());
  EXPECT_EQ(*ub, u);
  // With the model billed: the same counts plus a quoted "model".
  EXPECT_EQ(UsageToJson(u, "gpt-4o\"x"),
            "{\"prompt_tokens\":100,\"completion_tokens\":20,"
            "\"cached_tokens\":30,\"model\":\"gpt-4o\\\"x\"}");
  ub = UsageFromJson(UsageToJson(u, "gpt-4o-mini"));
  ASSERT_TRUE(ub.ok());
  EXPECT_EQ(*ub, u);
}

// A score dropped by the h-index or title stage keeps its flag through
// Redis, so the publisher can leave it out at cut-offs of 0.
TEST(JsonUtilTest, FilteredFlagRoundTrips) {
  Score s;
  s.arxiv_id = "2504.1";
  s.comment = "Title filtered";
  s.filtered = true;
  absl::StatusOr<Score> back = ScoreFromJson(ScoreToJson(s));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(back->filtered);
  EXPECT_EQ(*back, s);
  s.filtered = false;
  back = ScoreFromJson(ScoreToJson(s));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_FALSE(back->filtered);
}

TEST(JsonUtilTest, ScoreWrittenBeforeTheFilteredFlagReadsAsNotFiltered) {
  absl::StatusOr<Score> old = ScoreFromJson(
      R"({"arxiv_id":"2504.1","relevance":9,"novelty":8,"comment":"c",)"
      R"("author_match":false,"author_match_score":0.0,"scored":true,)"
      R"("error":"","prefiltered":false,"cached":false})");
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_FALSE(old->filtered);
  EXPECT_TRUE(old->scored);
  EXPECT_EQ(old->relevance, 9);
  // A wrong type is treated as missing, never read blindly.
  absl::StatusOr<Score> wrong =
      ScoreFromJson(R"({"arxiv_id":"2504.1","filtered":"yes"})");
  ASSERT_TRUE(wrong.ok()) << wrong.status();
  EXPECT_FALSE(wrong->filtered);
}

TEST(JsonUtilTest, BadInputGivesErrorsNotCrashes) {
  EXPECT_FALSE(PaperFromJson("not json").ok());
  EXPECT_FALSE(PaperFromJson("[1,2]").ok());
  // Wrong types are treated as missing, never read blindly.
  absl::StatusOr<Paper> wrong = PaperFromJson(
      R"({"arxiv_id": 5, "title": "t", "authors": [], "abstract": ""})");
  EXPECT_FALSE(wrong.ok());
  absl::StatusOr<Paper> bad_authors = PaperFromJson(
      R"({"arxiv_id": "1", "title": "t", "authors": [1], "abstract": ""})");
  EXPECT_FALSE(bad_authors.ok());
  EXPECT_FALSE(ScoreFromJson(R"({"relevance": 3})").ok());
  absl::StatusOr<rapidjson::Document> doc = ParseJson("{\"a\": ");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("offset"), std::string::npos);
}

TEST(JsonUtilTest, QuoteEscapesControlCharacters) {
  EXPECT_EQ(JsonQuote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
}

}  // namespace
}  // namespace arxiv_digest
