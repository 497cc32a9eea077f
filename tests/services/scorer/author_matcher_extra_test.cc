// Followed-author cases from issue 3 (point 6) that author_matcher_test.cc
// does not spell out: names as the fetcher's three sources print them (RSS
// dc:creator with LaTeX escapes, OAI-PMH forenames + keyname with middle
// initials, the Atom API), upper-case accented letters, and authors.txt ids.
#include "gtest/gtest.h"
#include "lib/config/config.h"
#include "services/scorer/logic/author_matcher.h"

namespace arxiv_digest {
namespace {

std::vector<FollowedAuthor> Follow(std::vector<std::string> names) {
  std::vector<FollowedAuthor> out;
  for (std::string& n : names) out.push_back({std::move(n), ""});
  return out;
}

TEST(AuthorMatcherExtraTest, OaiPmhNamesWithMiddleInitials) {
  // OAI-PMH <forenames>Christoph H.</forenames><keyname>Keitel</keyname>.
  EXPECT_TRUE(
      IsFollowedAuthor({"Christoph H. Keitel"}, Follow({"Christoph Keitel"})));
  EXPECT_TRUE(IsFollowedAuthor({"Keitel, Christoph H."},
                               Follow({"Christoph H Keitel"})));
  EXPECT_TRUE(
      IsFollowedAuthor({"Michael I Jordan"}, Follow({"Michael I. Jordan"})));
}

TEST(AuthorMatcherExtraTest, LatexEscapesAsTheRssFeedPrintsThem) {
  EXPECT_TRUE(
      IsFollowedAuthor({"Zolt\\'an Harman"}, Follow({"Zolt\xC3\xA1n Harman"})));
  EXPECT_TRUE(
      IsFollowedAuthor({"{\\'E}douard Grave"}, Follow({"Edouard Grave"})));
  EXPECT_TRUE(
      IsFollowedAuthor({"Mert Yama\\c{c}"}, Follow({"Mert Yama\xC3\xA7"})));
  EXPECT_TRUE(
      IsFollowedAuthor({"Jean Pierre Serre"}, Follow({"Jean-Pierre Serre"})));
}

TEST(AuthorMatcherExtraTest, UpperCaseAccentedLetters) {
  EXPECT_TRUE(IsFollowedAuthor({"\xC3\x89"
                                "douard Grave"},  // "Édouard"
                               Follow({"edouard grave"})));
}

// The Semantic Scholar id of authors.txt stays attached to the name.
TEST(AuthorMatcherExtraTest, AuthorIdsAreKept) {
  std::vector<FollowedAuthor> a =
      ParseAuthors("J\\\"urgen Schmidhuber, 145341374\nZico Kolter, 1730156\n");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].id, "145341374");
  EXPECT_TRUE(IsFollowedAuthor({"J\xC3\xBCrgen Schmidhuber"}, {a[0]}));
}

}  // namespace
}  // namespace arxiv_digest
