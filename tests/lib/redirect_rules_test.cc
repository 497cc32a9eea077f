#include "lib/http_transport/redirect_rules.h"

#include <gtest/gtest.h>

namespace arxiv_digest {
namespace {

TEST(RedirectRulesTest, OriginFillsDefaultPortsAndLowerCasesTheHost) {
  absl::StatusOr<UrlOrigin> a = OriginOf("https://API.example.com/v1/x");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(*a, (UrlOrigin{"https", "api.example.com", 443}));
  EXPECT_EQ(*OriginOf("http://h"), (UrlOrigin{"http", "h", 80}));
  EXPECT_EQ(*OriginOf("http://u:p@h:8080/x"), (UrlOrigin{"http", "h", 8080}));
  EXPECT_EQ(*OriginOf("http://[::1]:81/"), (UrlOrigin{"http", "[::1]", 81}));
  EXPECT_FALSE(OriginOf("file:///etc/passwd").ok());
  EXPECT_FALSE(OriginOf("http://h:99999/").ok());
  EXPECT_FALSE(OriginOf("http:///x").ok());
}

TEST(RedirectRulesTest, SamePortDifferentHostOrSchemeIsAnotherOrigin) {
  EXPECT_EQ(*OriginOf("http://127.0.0.1:80/a"),
            *OriginOf("http://127.0.0.1/b"));
  EXPECT_FALSE(*OriginOf("http://127.0.0.1:81/") ==
               *OriginOf("http://127.0.0.1:82/"));
  EXPECT_FALSE(*OriginOf("https://h:443/") == *OriginOf("http://h:443/"));
}

TEST(RedirectRulesTest, ResolvesEveryLocationForm) {
  const std::string from = "http://a:1/v1/chat/completions?x=1";
  EXPECT_EQ(*ResolveRedirect(from, "https://b/x"), "https://b/x");
  EXPECT_EQ(*ResolveRedirect(from, "//b:2/y"), "http://b:2/y");
  EXPECT_EQ(*ResolveRedirect(from, "/z?q=http://c"), "http://a:1/z?q=http://c");
  EXPECT_EQ(*ResolveRedirect(from, "other"), "http://a:1/v1/chat/other");
  EXPECT_EQ(*ResolveRedirect("http://a", "x"), "http://a/x");
}

TEST(RedirectRulesTest, RefusesOtherSchemesAndEmptyLocations) {
  EXPECT_FALSE(ResolveRedirect("http://a/", "file:///etc/passwd").ok());
  EXPECT_FALSE(ResolveRedirect("http://a/", "gopher://b/").ok());
  EXPECT_FALSE(ResolveRedirect("http://a/", "  ").ok());
}

TEST(RedirectRulesTest, FollowedStatuses) {
  for (int s : {301, 302, 303, 307, 308}) EXPECT_TRUE(IsFollowedRedirect(s));
  for (int s : {200, 300, 304, 305, 400}) EXPECT_FALSE(IsFollowedRedirect(s));
}

TEST(RedirectRulesTest, DropsSensitiveHeadersCaseInsensitively) {
  const std::vector<std::pair<std::string, std::string>> kept =
      WithoutSensitiveHeaders(
          {{"authorization", "Bearer k"}, {"X-API-KEY", "k"}, {"X-Title", "t"}},
          {"Authorization", "X-Api-Key"});
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].first, "X-Title");
}

}  // namespace
}  // namespace arxiv_digest
