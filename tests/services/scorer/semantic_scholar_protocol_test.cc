#include "services/scorer/logic/semantic_scholar_protocol.h"

#include <gtest/gtest.h>

#include "services/scorer/logic/semantic_scholar.h"

namespace arxiv_digest {
namespace {

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
// tested in semantic_scholar_protocol_entries_test.cc.
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
  using Authors = std::optional<std::vector<std::string>>;
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

}  // namespace
}  // namespace arxiv_digest
