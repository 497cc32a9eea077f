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

TEST(JsonRendererTest, FatesComeLastInTheSameIndentStyle) {
  ScoredPaper p;
  p.paper.arxiv_id = "2504.00001";
  p.paper.title = "T";
  p.paper.abstract = "A";
  p.score.relevance = 9;
  p.score.novelty = 8;
  p.score.comment = "c";
  FinalFate kept{
      "2504.00001", "abstract", true, 1, false, "relevance 9, novelty 8",
      40,           true};
  FinalFate cut{
      "2504.00002", "h_index", false, 0, true, "h-index 3 < 20 \xC3\xA9",
      std::nullopt, true};
  const std::string json = RenderDigestJson({p}, {kept, cut});
  const std::string plain = RenderDigestJson({p});
  // The papers are the bytes of the file without fates.
  EXPECT_EQ(json.substr(0, plain.size() - 2),
            plain.substr(0, plain.size() - 2));
  EXPECT_EQ(json.substr(plain.size() - 2),
            ",\n"
            "    \"fates\": {\n"
            "        \"2504.00001\": {\n"
            "            \"stage\": \"abstract\",\n"
            "            \"in_digest\": true,\n"
            "            \"rank\": 1,\n"
            "            \"dropped\": false,\n"
            "            \"reason\": \"relevance 9, novelty 8\",\n"
            "            \"best_h_index\": 40,\n"
            "            \"recorded\": true\n"
            "        },\n"
            "        \"2504.00002\": {\n"
            "            \"stage\": \"h_index\",\n"
            "            \"in_digest\": false,\n"
            "            \"rank\": 0,\n"
            "            \"dropped\": true,\n"
            "            \"reason\": \"h-index 3 < 20 \\u00e9\",\n"
            "            \"recorded\": true\n"
            "        }\n"
            "    }\n"
            "}");
  // The reader skips the fates member: the same papers as without it.
  absl::StatusOr<std::vector<ScoredPaper>> back = ParseScoredJson(json);
  ASSERT_TRUE(back.ok()) << back.status();
  absl::StatusOr<std::vector<ScoredPaper>> plain_back = ParseScoredJson(plain);
  ASSERT_TRUE(plain_back.ok()) << plain_back.status();
  EXPECT_EQ(*back, *plain_back);
  // A digest with no paper still carries the fates.
  const std::string empty = RenderDigestJson({}, {cut});
  EXPECT_EQ(empty.substr(0, 16), "{\n    \"fates\": {");
  back = ParseScoredJson(empty);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(back->empty());
  EXPECT_EQ(RenderDigestJson({}, {}), "{}");
}

}  // namespace
}  // namespace arxiv_digest
