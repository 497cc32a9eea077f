#include <gtest/gtest.h>

#include "lib/contract/paper_fate.h"

namespace arxiv_digest::contract {
namespace {

TEST(PaperFateTest, RoundTripsWithAndWithoutHIndex) {
  PaperFate f{"2504.00001", fate_stage::kHIndex, true,
              "H-index filtered (max is 3<20)", 3};
  absl::StatusOr<PaperFate> back = DecodePaperFate(EncodePaperFate(f));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, f);
  f.best_h_index.reset();
  f.reason = "quote \" and\nnewline";
  back = DecodePaperFate(EncodePaperFate(f));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, f);
}

TEST(PaperFateTest, RejectsMissingFieldsAndGarbage) {
  EXPECT_FALSE(DecodePaperFate("{\"stage\":\"title\"}").ok());
  EXPECT_FALSE(DecodePaperFate("{\"arxiv_id\":\"2504.00001\"}").ok());
  EXPECT_FALSE(DecodePaperFate("[1,2]").ok());
  EXPECT_FALSE(DecodePaperFate("not json").ok());
  EXPECT_FALSE(DecodePaperFate(std::string(100, '[')).ok());
}

}  // namespace
}  // namespace arxiv_digest::contract
