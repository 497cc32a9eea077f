#include "lib/text/redact.h"

#include <gtest/gtest.h>

namespace arxiv_digest {
namespace {

TEST(RedactUrlPasswordTest, PasswordsBecomeStarsTheRestStays) {
  EXPECT_EQ(RedactUrlPassword("redis://:s3cret@redis:6379/0"),
            "redis://:***@redis:6379/0");
  EXPECT_EQ(RedactUrlPassword("rediss://app:s3cret@redis:6380"),
            "rediss://app:***@redis:6380");
  EXPECT_EQ(RedactUrlPassword("https://user:pw@proxy:3128/v1"),
            "https://user:***@proxy:3128/v1");
  // An '@' in the password: everything up to the last '@' is user info.
  EXPECT_EQ(RedactUrlPassword("redis://:p@ss@host:1"), "redis://:***@host:1");
  EXPECT_EQ(RedactUrlPassword("user:pw@host"), "user:***@host");
}

TEST(RedactUrlPasswordTest, UrlsWithoutCredentialsAreUnchanged) {
  EXPECT_EQ(RedactUrlPassword("redis://127.0.0.1:6379"),
            "redis://127.0.0.1:6379");
  EXPECT_EQ(RedactUrlPassword("https://api.openai.com/v1"),
            "https://api.openai.com/v1");
  EXPECT_EQ(RedactUrlPassword(""), "");
}

}  // namespace
}  // namespace arxiv_digest
