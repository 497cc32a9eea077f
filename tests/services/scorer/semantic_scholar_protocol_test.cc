// Semantic Scholar's wire format on crafted replies: request bodies, paper
// and author batch replies (one bad entry is malformed, unknown with the
// reason, while the others are read as usual; only a reply unusable as a
// whole is an error), cache values, and the seed tool's h-index rule.
#include "services/scorer/logic/semantic_scholar_protocol.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "services/scorer/logic/semantic_scholar.h"

namespace arxiv_digest {
namespace {

using Authors = std::optional<std::vector<std::string>>;

TEST(SemanticScholarProtocolTest, RequestBodies) {
  EXPECT_EQ(S2PaperBatchBody({"2504.00001", "2504.00002"}),
            R"({"ids":["ARXIV:2504.00001","ARXIV:2504.00002"]})");
  EXPECT_EQ(S2AuthorBatchBody({"1751762"}), R"({"ids":["1751762"]})");
}

TEST(SemanticScholarProtocolTest, PaperBatchKeepsOrderAndUnknowns) {
  auto r = ParseS2PaperBatch(
      R"([{"paperId":"a","authors":[{"authorId":"1","name":"x"},
          {"authorId":null,"name":"y"}]}, null])",
      2);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->authors.size(), 2u);
  EXPECT_EQ(r->authors[0], std::vector<std::string>{"1"});
  EXPECT_FALSE(r->authors[1].has_value());
  EXPECT_TRUE(r->malformed.empty());
}

// Only a reply that is unusable as a whole is an error; a bad entry is
// tested below (S2ProtocolEntriesTest).
TEST(SemanticScholarProtocolTest, GarbageIsAnError) {
  EXPECT_FALSE(ParseS2PaperBatch("<html>", 1).ok());
  EXPECT_FALSE(ParseS2PaperBatch("[null]", 2).ok());  // wrong length
  EXPECT_FALSE(ParseS2PaperBatch(R"({"error":"x"})", 1).ok());
  EXPECT_FALSE(ParseS2AuthorBatch("[null,null]", 1).ok());
  EXPECT_FALSE(ParseS2AuthorBatch(std::string(50, '['), 1).ok());
}

TEST(SemanticScholarProtocolTest, AuthorBatch) {
  auto r = ParseS2AuthorBatch(
      R"([{"authorId":"1","hIndex":42},{"authorId":"2"},null,
          {"authorId":"3","hIndex":-4}])",
      4);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->h_indices.size(), 4u);
  EXPECT_EQ(r->h_indices[0], 42);
  EXPECT_FALSE(r->h_indices[1].has_value());  // malformed: no hIndex
  EXPECT_FALSE(r->h_indices[2].has_value());  // unknown
  EXPECT_FALSE(r->h_indices[3].has_value());  // malformed: negative
  ASSERT_EQ(r->malformed.size(), 2u);
  EXPECT_EQ(r->malformed[0].index, 1u);
  EXPECT_EQ(r->malformed[1].index, 3u);
}

TEST(SemanticScholarProtocolTest, CacheValuesRoundTrip) {
  EXPECT_EQ(DecodeCachedAuthors(EncodeCachedAuthors(Authors())),
            std::optional<Authors>(Authors()));
  Authors two = std::vector<std::string>{"1", "22"};
  EXPECT_EQ(DecodeCachedAuthors(EncodeCachedAuthors(two)), two);
  Authors none = std::vector<std::string>{};
  EXPECT_EQ(DecodeCachedAuthors(EncodeCachedAuthors(none)), none);
  EXPECT_FALSE(DecodeCachedAuthors("junk").has_value());
  EXPECT_EQ(DecodeCachedHIndex(EncodeCachedHIndex(17)),
            std::optional<std::optional<int>>(17));
  EXPECT_EQ(DecodeCachedHIndex("-"),
            std::optional<std::optional<int>>(std::optional<int>()));
  EXPECT_FALSE(DecodeCachedHIndex("x").has_value());
}

// The seed tool: dropped when max h-index < h_cutoff; 0 = off.
TEST(SemanticScholarRulesTest, SeedToolCutoffRule) {
  S2Paper p;
  p.authors = {S2Author{"1", 19}, S2Author{"2", std::nullopt}};
  EXPECT_EQ(BestHIndex(p), 19);
  EXPECT_TRUE(BelowHIndexCutoff(19, 20));
  EXPECT_FALSE(BelowHIndexCutoff(20, 20));
  EXPECT_FALSE(BelowHIndexCutoff(0, 0));
  EXPECT_EQ(BestHIndex(S2Paper{}), 0);
  EXPECT_EQ(HIndexFilteredComment(19, 20), "H-index filtered (max is 19<20)");
}

// ---- One bad entry in an otherwise good batch reply.

// The paper batch reply [good, `bad`, null] for 3 requested papers.
absl::StatusOr<S2PaperBatchReply> PaperReplyWith(const std::string& bad) {
  return ParseS2PaperBatch(
      R"([{"paperId":"a","authors":[{"authorId":"7","name":"x"}]},)" + bad +
          ",null]",
      3);
}

TEST(S2ProtocolEntriesTest, MalformedPaperEntryCostsOnlyThatEntry) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"1", "not an object"},
      {R"("2504.00001")", "not an object"},
      {"[]", "not an object"},
      {R"({"paperId":"b"})", "no authors"},
      {R"({"paperId":"b","authors":null})", "authors is not an array"},
      {R"({"paperId":"b","authors":{"authorId":"1"}})",
       "authors is not an array"},
      {R"({"paperId":"b","authors":[1]})", "author 0 is not an object"},
      {R"({"paperId":"b","authors":[{"authorId":"1"},{"name":"y"}]})",
       "author 1 has no authorId"},
      {R"({"paperId":"b","authors":[{"authorId":12}]})",
       "author 0: authorId is not a string"},
      {R"({"paperId":"b","authors":[{"authorId":"1,2"}]})",
       "author 0: authorId is not an S2 id"},
      {R"({"paperId":"b","authors":[{"authorId":""}]})",
       "author 0: authorId is not an S2 id"},
  };
  for (const auto& [bad, reason] : cases) {
    SCOPED_TRACE(bad);
    absl::StatusOr<S2PaperBatchReply> r = PaperReplyWith(bad);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->authors.size(), 3u);
    EXPECT_EQ(r->authors[0], Authors(std::vector<std::string>{"7"}));
    EXPECT_FALSE(r->authors[1].has_value());
    EXPECT_FALSE(r->authors[2].has_value());
    ASSERT_EQ(r->malformed.size(), 1u);
    EXPECT_EQ(r->malformed[0].index, 1u);
    EXPECT_EQ(r->malformed[0].reason, reason);
  }
}

TEST(S2ProtocolEntriesTest, AuthorsWithoutAProfileAreNotMalformed) {
  absl::StatusOr<S2PaperBatchReply> r = PaperReplyWith(
      R"({"paperId":"b","authors":[{"authorId":null,"name":"y"},
          {"authorId":"8","name":"z"}]})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->authors[1], Authors(std::vector<std::string>{"8"}));
  EXPECT_TRUE(r->malformed.empty());
  // No authors at all is an answer too.
  r = PaperReplyWith(R"({"paperId":"b","authors":[]})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->authors[1], Authors(std::vector<std::string>{}));
  EXPECT_TRUE(r->malformed.empty());
}

TEST(S2ProtocolEntriesTest, MalformedAuthorEntryCostsOnlyThatEntry) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"17", "not an object"},
      {R"({"authorId":"2"})", "no hIndex"},
      {R"({"authorId":"2","hIndex":"31"})", "hIndex is not an integer"},
      {R"({"authorId":"2","hIndex":31.5})", "hIndex is not an integer"},
      {R"({"authorId":"2","hIndex":[31]})", "hIndex is not an integer"},
      {R"({"authorId":"2","hIndex":-1})", "hIndex -1 is out of range"},
      {R"({"authorId":"2","hIndex":100001})", "hIndex 100001 is out of range"},
      {R"({"authorId":"2","hIndex":99999999999999999999})",
       "hIndex is not an integer"},
  };
  for (const auto& [bad, reason] : cases) {
    SCOPED_TRACE(bad);
    absl::StatusOr<S2AuthorBatchReply> r = ParseS2AuthorBatch(
        R"([{"authorId":"1","hIndex":42},)" + bad + ",null]", 3);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->h_indices.size(), 3u);
    EXPECT_EQ(r->h_indices[0], 42);
    EXPECT_FALSE(r->h_indices[1].has_value());
    EXPECT_FALSE(r->h_indices[2].has_value());
    ASSERT_EQ(r->malformed.size(), 1u);
    EXPECT_EQ(r->malformed[0].index, 1u);
    EXPECT_EQ(r->malformed[0].reason, reason);
  }
}

TEST(S2ProtocolEntriesTest, NullHIndexIsUnknownNotMalformed) {
  absl::StatusOr<S2AuthorBatchReply> r =
      ParseS2AuthorBatch(R"([{"authorId":"1","hIndex":null},{"hIndex":0}])", 2);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->h_indices[0].has_value());
  EXPECT_EQ(r->h_indices[1], 0);
  EXPECT_TRUE(r->malformed.empty());
}

// Every entry malformed is still a usable reply (all unknown), not a
// failed batch: only the shape of the reply as a whole fails it.
TEST(S2ProtocolEntriesTest, AllEntriesMalformedIsNotABatchError) {
  absl::StatusOr<S2AuthorBatchReply> r = ParseS2AuthorBatch(R"([1,"x",{}])", 3);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->malformed.size(), 3u);
  EXPECT_FALSE(ParseS2AuthorBatch(R"([1,"x",{}])", 2).ok());
  EXPECT_FALSE(ParseS2PaperBatch("[1,2", 2).ok());  // not JSON
}

}  // namespace
}  // namespace arxiv_digest
