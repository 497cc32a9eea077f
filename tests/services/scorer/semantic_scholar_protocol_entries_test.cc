// Crafted Semantic Scholar batch replies with one bad entry: that entry is
// malformed (unknown, with the reason), the others are read as usual.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "services/scorer/logic/semantic_scholar_protocol.h"

namespace arxiv_digest {
namespace {

using Authors = std::optional<std::vector<std::string>>;

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
