#include "services/scorer/logic/title_reply_parser.h"

#include <gtest/gtest.h>

namespace arxiv_digest {
namespace {

TEST(TitleReplyParserTest, BareJsonList) {
  absl::StatusOr<TitleReply> r =
      ParseTitleReply(R"(["2504.14960", "2504.00001"])");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->ids, (std::vector<std::string>{"2504.14960", "2504.00001"}));
}

TEST(TitleReplyParserTest, FencesProseSingleQuotesPrefixesAndVersions) {
  absl::StatusOr<TitleReply> r = ParseTitleReply(
      "Sure! Here is the list:\n```json\n['arXiv:2504.14960v2', "
      "2504.00001 , \"https://arxiv.org/abs/2504.00002\"]\n```\nDone.");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->ids, (std::vector<std::string>{"2504.14960", "2504.00001",
                                              "2504.00002"}));
}

TEST(TitleReplyParserTest, EmptyListDropsNothing) {
  absl::StatusOr<TitleReply> r = ParseTitleReply("[]");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->ids.empty());
}

// The model echoing the instruction's template first, then the answer.
TEST(TitleReplyParserTest, SkipsListsWithoutIdsWhenALaterOneHasSome) {
  absl::StatusOr<TitleReply> r =
      ParseTitleReply(R"(like ["ID1", "ID2"..]: ["2504.00003"])");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->ids, std::vector<std::string>{"2504.00003"});
}

TEST(TitleReplyParserTest, NotAListIsAnError) {
  EXPECT_FALSE(ParseTitleReply("I cannot help with that.").ok());
  EXPECT_FALSE(ParseTitleReply("").ok());
  EXPECT_FALSE(ParseTitleReply("[\"2504.00001\"").ok());  // cut off
}

TEST(TitleReplyParserTest, NonIdItemsAreReportedNotDropped) {
  absl::StatusOr<TitleReply> r =
      ParseTitleReply(R"(["2504.00001", "none", "DROP TABLE"])");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->ids, std::vector<std::string>{"2504.00001"});
  EXPECT_EQ(r->ignored.size(), 2u);
}

}  // namespace
}  // namespace arxiv_digest
