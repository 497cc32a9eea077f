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
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0], std::vector<std::string>{"1"});
  EXPECT_FALSE((*r)[1].has_value());
}

TEST(SemanticScholarProtocolTest, GarbageIsAnError) {
  EXPECT_FALSE(ParseS2PaperBatch("<html>", 1).ok());
  EXPECT_FALSE(ParseS2PaperBatch("[null]", 2).ok());  // wrong length
  EXPECT_FALSE(ParseS2PaperBatch(R"([{"paperId":"a"}])", 1).ok());
  EXPECT_FALSE(ParseS2PaperBatch(R"({"error":"x"})", 1).ok());
  EXPECT_FALSE(ParseS2AuthorBatch(R"([1])", 1).ok());
  EXPECT_FALSE(ParseS2AuthorBatch(std::string(50, '['), 1).ok());
}

TEST(SemanticScholarProtocolTest, AuthorBatch) {
  auto r = ParseS2AuthorBatch(
      R"([{"authorId":"1","hIndex":42},{"authorId":"2"},null,
          {"authorId":"3","hIndex":-4}])",
      4);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0], 42);
  EXPECT_FALSE((*r)[1].has_value());
  EXPECT_FALSE((*r)[2].has_value());
  EXPECT_FALSE((*r)[3].has_value());
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
