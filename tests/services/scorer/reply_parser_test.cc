#include "services/scorer/logic/reply_parser.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/core/ids.h"

namespace arxiv_digest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

Score S(std::string id, int relevance, int novelty, std::string comment) {
  Score s;
  s.arxiv_id = std::move(id);
  s.relevance = relevance;
  s.novelty = novelty;
  s.comment = std::move(comment);
  return s;
}

// Shaped like real GPT-4o replies to the reference prompt.
TEST(ReplyParserTest, PlainJsonl) {
  const ParsedReply r = ParseScoringReply(
      R"({"ARXIVID": "2504.14960", "COMMENT": "MoE routing analysis.", "RELEVANCE": 9, "NOVELTY": 7}
{"ARXIVID": "2504.15001", "COMMENT": "Application to medical imaging.", "RELEVANCE": 3, "NOVELTY": 4})");
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_THAT(
      r.scores,
      ElementsAre(S("2504.14960", 9, 7, "MoE routing analysis."),
                  S("2504.15001", 3, 4, "Application to medical imaging.")));
}

TEST(ReplyParserTest, CodeFencesAreRemoved) {
  for (const char* fence : {"```jsonl", "```json", "```"}) {
    const std::string reply = std::string(fence) +
                              "\n{\"ARXIVID\": \"2504.00001\", \"COMMENT\": "
                              "\"x\", \"RELEVANCE\": 5, \"NOVELTY\": 6}\n```";
    const ParsedReply r = ParseScoringReply(reply);
    EXPECT_THAT(r.errors, IsEmpty()) << fence;
    EXPECT_THAT(r.scores, ElementsAre(S("2504.00001", 5, 6, "x"))) << fence;
  }
}

TEST(ReplyParserTest, ProseAroundTheJsonIsIgnored) {
  const ParsedReply r = ParseScoringReply(
      "Here are the scores in {ARXIVID, COMMENT, RELEVANCE, NOVELTY} format:\n"
      "\n```jsonl\n"
      "{\"ARXIVID\": \"2504.00001\", \"COMMENT\": \"a\", \"RELEVANCE\": 8, "
      "\"NOVELTY\": 6}\n"
      "```\n"
      "Let me know if you'd like more detail on any paper.");
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_THAT(r.scores, ElementsAre(S("2504.00001", 8, 6, "a")));
}

TEST(ReplyParserTest, CommaLineEndingsAndArrayForm) {
  const ParsedReply commas = ParseScoringReply(
      "{\"ARXIVID\": \"2504.00001\", \"RELEVANCE\": 8, \"NOVELTY\": 6},\n"
      "{\"ARXIVID\": \"2504.00002\", \"RELEVANCE\": 2, \"NOVELTY\": 3},\n");
  EXPECT_THAT(commas.errors, IsEmpty());
  EXPECT_THAT(commas.scores, ElementsAre(S("2504.00001", 8, 6, ""),
                                         S("2504.00002", 2, 3, "")));

  const ParsedReply array = ParseScoringReply(
      "```json\n[\n  {\n    \"ARXIVID\": \"2504.00001\",\n    \"COMMENT\": "
      "\"multi-line\",\n    \"RELEVANCE\": 8,\n    \"NOVELTY\": 6\n  },\n  "
      "{\"ARXIVID\": \"2504.00002\", \"RELEVANCE\": 2, \"NOVELTY\": "
      "3}\n]\n```");
  EXPECT_THAT(array.errors, IsEmpty());
  EXPECT_THAT(array.scores, ElementsAre(S("2504.00001", 8, 6, "multi-line"),
                                        S("2504.00002", 2, 3, "")));
}

TEST(ReplyParserTest, SeveralObjectsOnOneLine) {
  const ParsedReply r = ParseScoringReply(
      "{\"ARXIVID\": \"2504.00001\", \"RELEVANCE\": 8, \"NOVELTY\": 6} "
      "{\"ARXIVID\": \"2504.00002\", \"RELEVANCE\": 7, \"NOVELTY\": 5}");
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_THAT(r.scores, SizeIs(2));
}

TEST(ReplyParserTest, JsonModeWrapperObject) {
  const ParsedReply r = ParseScoringReply(
      "{\"papers\": [{\"ARXIVID\": \"2504.00001\", \"RELEVANCE\": 8, "
      "\"NOVELTY\": 6}, {\"ARXIVID\": \"2504.00002\", \"RELEVANCE\": \"x\", "
      "\"NOVELTY\": 6}]}");
  EXPECT_THAT(r.scores, ElementsAre(S("2504.00001", 8, 6, "")));
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_THAT(r.errors[0], HasSubstr("RELEVANCE 'x' is not a number"));
}

TEST(ReplyParserTest, NumericStringsAndClamping) {
  const ParsedReply r = ParseScoringReply(
      "{\"ARXIVID\": \"2504.00001\", \"RELEVANCE\": \"8\", \"NOVELTY\": \" 7 "
      "\"}\n"
      "{\"ARXIVID\": \"2504.00002\", \"RELEVANCE\": 12, \"NOVELTY\": 0}\n"
      "{\"ARXIVID\": \"2504.00003\", \"RELEVANCE\": 7.6, \"NOVELTY\": \"-3\"}");
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_THAT(r.scores,
              ElementsAre(S("2504.00001", 8, 7, ""), S("2504.00002", 10, 1, ""),
                          S("2504.00003", 8, 1, "")));
}

TEST(ReplyParserTest, NonNumericScoreLosesOnlyThatLine) {
  const ParsedReply r = ParseScoringReply(
      "{\"ARXIVID\": \"2504.00001\", \"RELEVANCE\": \"high\", \"NOVELTY\": 7}\n"
      "{\"ARXIVID\": \"2504.00002\", \"RELEVANCE\": 6, \"NOVELTY\": null}\n"
      "{\"ARXIVID\": \"2504.00003\", \"RELEVANCE\": 6}\n"
      "{\"ARXIVID\": \"2504.00004\", \"RELEVANCE\": 6, \"NOVELTY\": 5}");
  EXPECT_THAT(r.scores, ElementsAre(S("2504.00004", 6, 5, "")));
  ASSERT_THAT(r.errors, SizeIs(3));
  EXPECT_THAT(r.errors[0],
              HasSubstr("line 1: RELEVANCE 'high' is not a number"));
  EXPECT_THAT(r.errors[0], HasSubstr("\"2504.00001\""));  // quotes the line
  EXPECT_THAT(r.errors[1], HasSubstr("line 2: NOVELTY null is not a number"));
  EXPECT_THAT(r.errors[2], HasSubstr("line 3: missing NOVELTY"));
}

TEST(ReplyParserTest, IdsAreNormalizedAndBadIdsRejected) {
  const ParsedReply r = ParseScoringReply(
      "{\"ARXIVID\": \"arXiv:2504.14960v2 \", \"RELEVANCE\": 8, \"NOVELTY\": "
      "6}\n"
      "{\"ARXIVID\": \"https://arxiv.org/abs/2504.14961\", \"RELEVANCE\": 8, "
      "\"NOVELTY\": 6}\n"
      "{\"ARXIVID\": 2504.14962, \"RELEVANCE\": 8, \"NOVELTY\": 6}\n"
      "{\"ARXIVID\": 2504.14970, \"RELEVANCE\": 8, \"NOVELTY\": 6}\n"
      "{\"ARXIVID\": \"N/A\", \"RELEVANCE\": 8, \"NOVELTY\": 6}\n"
      "{\"ARXIVID\": \"\", \"RELEVANCE\": 8, \"NOVELTY\": 6}\n"
      "{\"ARXIVID\": \"Paper 3\", \"RELEVANCE\": 8, \"NOVELTY\": 6}\n"
      "{\"COMMENT\": \"no id\", \"RELEVANCE\": 8, \"NOVELTY\": 6}");
  ASSERT_THAT(r.scores, SizeIs(4));
  EXPECT_EQ(r.scores[0].arxiv_id, "2504.14960");
  EXPECT_EQ(r.scores[1].arxiv_id, "2504.14961");
  EXPECT_EQ(r.scores[2].arxiv_id, "2504.14962");
  // An unquoted number keeps its written digits, trailing zero included.
  EXPECT_EQ(r.scores[3].arxiv_id, "2504.14970");
  ASSERT_THAT(r.errors, SizeIs(4));
  EXPECT_THAT(r.errors[0],
              HasSubstr("line 5: ARXIVID 'N/A' is not an arXiv id"));
  EXPECT_THAT(r.errors[1], HasSubstr("line 6: ARXIVID '' is not an arXiv id"));
  EXPECT_THAT(r.errors[2], HasSubstr("line 7"));
  EXPECT_THAT(r.errors[3], HasSubstr("line 8: missing ARXIVID"));
}

TEST(ReplyParserTest, KeyCaseAndCommentTypesAreTolerated) {
  const ParsedReply r = ParseScoringReply(
      "{\"arxiv_id\": \"2504.00001\", \"Comment\": null, \"relevance\": 4, "
      "\"Novelty\": 5,}");
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_THAT(r.scores, ElementsAre(S("2504.00001", 4, 5, "")));
}

TEST(ReplyParserTest, TruncatedReplyKeepsCompleteLines) {
  const ParsedReply r = ParseScoringReply(
      "```jsonl\n"
      "{\"ARXIVID\": \"2504.00001\", \"COMMENT\": \"a\", \"RELEVANCE\": 8, "
      "\"NOVELTY\": 6}\n"
      "{\"ARXIVID\": \"2504.00002\", \"COMMENT\": \"b\", \"RELEVANCE\": 7, "
      "\"NOVELTY\": 5}\n"
      "{\"ARXIVID\": \"2504.00003\", \"COMMENT\": \"The paper introdu");
  EXPECT_THAT(r.scores, ElementsAre(S("2504.00001", 8, 6, "a"),
                                    S("2504.00002", 7, 5, "b")));
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_THAT(r.errors[0], HasSubstr("line 4: reply ends inside this object"));
}

TEST(ReplyParserTest, BrokenLineDoesNotSwallowTheNextOnes) {
  const ParsedReply r = ParseScoringReply(
      // unterminated string: a raw line break cannot be inside a string
      "{\"ARXIVID\": \"2504.00001\", \"COMMENT\": \"oops, \"RELEVANCE\": 8}\n"
      // missing closing brace
      "{\"ARXIVID\": \"2504.00002\", \"RELEVANCE\": 8, \"NOVELTY\": 6\n"
      // single quotes are not JSON
      "{'ARXIVID': '2504.00003', 'RELEVANCE': 8, 'NOVELTY': 6}\n"
      "{\"ARXIVID\": \"2504.00004\", \"RELEVANCE\": 5, \"NOVELTY\": 5}\n");
  EXPECT_THAT(r.scores, ElementsAre(S("2504.00004", 5, 5, "")));
  ASSERT_THAT(r.errors, SizeIs(3));
  EXPECT_THAT(r.errors[0], HasSubstr("line 1: line break inside a string"));
  EXPECT_THAT(r.errors[1], HasSubstr("line 2: object is not closed"));
  EXPECT_THAT(r.errors[2], HasSubstr("line 3: not valid JSON"));
}

TEST(ReplyParserTest, NonJsonReplyGivesNoScoresAndSaysSo) {
  const ParsedReply r = ParseScoringReply(
      "I'm sorry, but I can't help with scoring these papers.");
  EXPECT_THAT(r.scores, IsEmpty());
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_THAT(r.errors[0], HasSubstr("reply contains no JSON objects"));
  EXPECT_THAT(r.errors[0], HasSubstr("I'm sorry"));

  const ParsedReply empty = ParseScoringReply(" \n");
  EXPECT_THAT(empty.scores, IsEmpty());
  EXPECT_THAT(empty.errors, ElementsAre("reply is empty"));
}

TEST(ReplyParserTest, BracesInsideStringsDoNotConfuseTheScanner) {
  const ParsedReply r = ParseScoringReply(
      "{\"ARXIVID\": \"2504.00001\", \"COMMENT\": \"uses {braces} and "
      "\\\"quotes\\\" }\", \"RELEVANCE\": 6, \"NOVELTY\": 6}");
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_THAT(r.scores, ElementsAre(S("2504.00001", 6, 6,
                                      "uses {braces} and \"quotes\" }")));
}

TEST(NormalizeArxivIdTest, Forms) {
  EXPECT_EQ(NormalizeArxivId("arXiv:2504.14960v2 "), "2504.14960");
  EXPECT_EQ(NormalizeArxivId("2504.14960"), "2504.14960");
  EXPECT_EQ(NormalizeArxivId("ARXIV:0704.0001V1"), "0704.0001");
  EXPECT_EQ(NormalizeArxivId("https://arxiv.org/abs/2504.14960v3"),
            "2504.14960");
  EXPECT_EQ(NormalizeArxivId("http://arxiv.org/pdf/2504.14960v1.pdf"),
            "2504.14960");
  EXPECT_EQ(NormalizeArxivId("hep-th/9901001v1"), "hep-th/9901001");
  EXPECT_EQ(NormalizeArxivId("math.GT/0309136"), "math.GT/0309136");
  EXPECT_EQ(NormalizeArxivId("solv-int/9901001v2"), "solv-int/9901001");
}

// The parser validates with the shared rule (lib/core/ids.h). Unlike the
// scorer's former IsValidArxivId, it accepts a "vN" suffix: the reply's id is
// stored version-less either way (NormalizeArxivId drops it first, and
// ArxivId::str() is version-less).
TEST(NormalizeArxivIdTest, Validity) {
  EXPECT_TRUE(ids::IsValidArxivId("2504.14960"));
  EXPECT_TRUE(ids::IsValidArxivId("0704.0001"));
  EXPECT_TRUE(ids::IsValidArxivId("hep-th/9901001"));
  EXPECT_TRUE(ids::IsValidArxivId("math.GT/0309136"));
  EXPECT_FALSE(ids::IsValidArxivId(""));
  EXPECT_TRUE(ids::IsValidArxivId("2504.14960v2"));
  EXPECT_EQ(ArxivId::Parse("2504.14960v2")->str(), "2504.14960");
  EXPECT_FALSE(ids::IsValidArxivId("2504.149"));
  EXPECT_FALSE(ids::IsValidArxivId("N/A"));
  EXPECT_FALSE(ids::IsValidArxivId("hep-th/99010"));
  EXPECT_FALSE(ids::IsValidArxivId("HEP-TH/9901001"));
}

// A reply id with a version suffix is accepted and stored version-less.
TEST(NormalizeArxivIdTest, VersionedReplyIdIsStoredVersionLess) {
  ParsedReply r = ParseScoringReply(
      "{\"ARXIVID\": \"2504.14960v3\", \"RELEVANCE\": 7, \"NOVELTY\": 5}");
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.scores.size(), 1u);
  EXPECT_EQ(r.scores[0].arxiv_id, "2504.14960");
}

}  // namespace
}  // namespace arxiv_digest
