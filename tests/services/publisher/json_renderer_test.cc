#include "services/publisher/logic/json_renderer.h"

#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace arxiv_digest {
namespace {

std::string ReadFixture(const std::string& relative) {
  std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) + "/" + relative,
                   std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(JsonRendererTest, ReferenceFileRoundTripsByteForByte) {
  const std::string text =
      ReadFixture("tests/fixtures/reference/scored-2025-04-22.json");
  ASSERT_FALSE(text.empty());
  absl::StatusOr<std::vector<ScoredPaper>> papers = ParseScoredJson(text);
  ASSERT_TRUE(papers.ok()) << papers.status();
  ASSERT_EQ(papers->size(), 29u);
  const ScoredPaper& first = (*papers)[0];
  EXPECT_EQ(first.paper.arxiv_id, "2504.14960");
  EXPECT_EQ(first.paper.position, 0);
  EXPECT_EQ(first.paper.authors.size(), 17u);
  EXPECT_EQ(first.score.relevance, 10);
  EXPECT_EQ(first.score.novelty, 8);
  EXPECT_FALSE(first.score.author_match);
  EXPECT_EQ((*papers)[28].paper.position, 28);
  // The reference ends without a newline, like json.dump.
  EXPECT_EQ(RenderDigestJson(*papers), text);
}

TEST(JsonRendererTest, EscapesLikePythonEnsureAscii) {
  // json.dumps('\u00e9\x7f\U0001F600\u2028\x01"\\/\n\t')
  EXPECT_EQ(PythonJsonString("\xC3\xA9\x7F\xF0\x9F\x98\x80\xE2\x80\xA8\x01"
                             "\"\\/\n\t\r\b\f"),
            "\"\\u00e9\\u007f\\ud83d\\ude00\\u2028\\u0001\\\"\\\\/\\n\\t"
            "\\r\\b\\f\"");
  // Invalid UTF-8 cannot come from Python; it becomes U+FFFD per bad byte.
  EXPECT_EQ(PythonJsonString("a\xFF"
                             "b\xC3"),
            "\"a\\ufffdb\\ufffd\"");
}

TEST(JsonRendererTest, AuthorMatchHasFloatScoreAndNoLlmScores) {
  ScoredPaper p;
  p.paper.arxiv_id = "2504.00001";
  p.paper.title = "T";
  p.paper.abstract = "A";
  p.score.author_match = true;
  p.score.author_match_score = 20.0;
  p.score.comment = "Author match";
  const std::string json = RenderDigestJson({p});
  EXPECT_EQ(json,
            "{\n"
            "    \"2504.00001\": {\n"
            "        \"SCORE\": 20.0,\n"
            "        \"ARXIVID\": \"2504.00001\",\n"
            "        \"COMMENT\": \"Author match\",\n"
            "        \"authors\": [],\n"
            "        \"title\": \"T\",\n"
            "        \"abstract\": \"A\",\n"
            "        \"arxiv_id\": \"2504.00001\"\n"
            "    }\n"
            "}");
  absl::StatusOr<std::vector<ScoredPaper>> back = ParseScoredJson(json);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), 1u);
  EXPECT_TRUE((*back)[0].score.author_match);
  EXPECT_EQ((*back)[0].score.author_match_score, 20.0);
  EXPECT_EQ(RenderDigestJson(*back), json);
}

TEST(JsonRendererTest, NonAsciiRoundTrips) {
  ScoredPaper p;
  p.paper.arxiv_id = "2504.00002";
  p.paper.title = "Caf\xC3\xA9 \xF0\x9F\x98\x80";
  p.paper.authors = {"J\xC3\xB6rg", "Li"};
  p.score.relevance = 7;
  p.score.novelty = 6;
  const std::string json = RenderDigestJson({p});
  EXPECT_NE(json.find("\"SCORE\": 13,"), std::string::npos);
  EXPECT_NE(json.find("Caf\\u00e9 \\ud83d\\ude00"), std::string::npos);
  absl::StatusOr<std::vector<ScoredPaper>> back = ParseScoredJson(json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ((*back)[0].paper.title, p.paper.title);
  EXPECT_EQ((*back)[0].paper.authors, p.paper.authors);
}

TEST(JsonRendererTest, EmptyListIsEmptyObject) {
  EXPECT_EQ(RenderDigestJson({}), "{}");
  absl::StatusOr<std::vector<ScoredPaper>> back = ParseScoredJson("{}");
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->empty());
}

TEST(JsonRendererTest, RejectsMalformedInput) {
  EXPECT_FALSE(ParseScoredJson("").ok());
  EXPECT_FALSE(ParseScoredJson("{").ok());
  EXPECT_FALSE(ParseScoredJson("[]").ok());
  EXPECT_FALSE(ParseScoredJson("{\"x\": 1}").ok());
  // Missing title.
  absl::StatusOr<std::vector<ScoredPaper>> r = ParseScoredJson(
      R"({"1": {"SCORE": 2, "ARXIVID": "1", "COMMENT": "", "RELEVANCE": 1,
          "NOVELTY": 1, "authors": [], "abstract": "", "arxiv_id": "1"}})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("title"), std::string::npos);
  // RELEVANCE of the wrong type.
  r = ParseScoredJson(
      R"({"1": {"SCORE": 2, "ARXIVID": "1", "COMMENT": "", "RELEVANCE": "1",
          "NOVELTY": 1, "authors": [], "title": "", "abstract": "",
          "arxiv_id": "1"}})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("RELEVANCE"), std::string::npos);
  // Authors that are not strings.
  r = ParseScoredJson(
      R"({"1": {"SCORE": 2, "ARXIVID": "1", "COMMENT": "", "authors": [3],
          "title": "", "abstract": "", "arxiv_id": "1"}})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("authors"), std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
