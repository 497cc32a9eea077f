#include "lib/core/flags.h"

#include <gtest/gtest.h>

namespace arxiv_digest {
namespace {

TEST(ParseFlagsTest, ValuesSwitchesAndPositionals) {
  const char* argv[] = {"prog", "render", "--configs",
                        "dir",  "--once", "--admin-port=0"};
  absl::StatusOr<ParsedFlags> f =
      ParseFlags(6, const_cast<char**>(argv), 1, {"--configs", "--admin-port"},
                 {"--once"});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->Get("--configs"), "dir");
  EXPECT_TRUE(f->Has("--once"));
  EXPECT_EQ(*f->GetInt("--admin-port", 9), 0);
  EXPECT_EQ(*f->GetInt("--missing", 9), 9);
  EXPECT_EQ(f->positional, std::vector<std::string>{"render"});
}

TEST(ParseFlagsTest, ErrorsNameTheFlag) {
  const char* unknown[] = {"prog", "--bogus"};
  absl::StatusOr<ParsedFlags> f =
      ParseFlags(2, const_cast<char**>(unknown), 1, {}, {});
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("--bogus"), std::string::npos);

  const char* no_value[] = {"prog", "--configs"};
  f = ParseFlags(2, const_cast<char**>(no_value), 1, {"--configs"}, {});
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("--configs"), std::string::npos);

  const char* bad_int[] = {"prog", "--admin-port", "x"};
  f = ParseFlags(3, const_cast<char**>(bad_int), 1, {"--admin-port"}, {});
  ASSERT_TRUE(f.ok());
  absl::StatusOr<int> port = f->GetInt("--admin-port", 1);
  ASSERT_FALSE(port.ok());
  EXPECT_NE(port.status().message().find("--admin-port"), std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
