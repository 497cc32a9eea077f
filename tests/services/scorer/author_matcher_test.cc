#include "services/scorer/logic/author_matcher.h"

#include "gtest/gtest.h"

namespace arxiv_digest {
namespace {

TEST(NormalizeAuthorNameTest, CaseAndWhitespace) {
  EXPECT_EQ(NormalizeAuthorName("  Zico   KOLTER \t"), "zico kolter");
  EXPECT_EQ(NormalizeAuthorName("J. Zico Kolter"), "j zico kolter");
  EXPECT_EQ(NormalizeAuthorName("Jean-Pierre Serre"), "jean pierre serre");
  EXPECT_EQ(NormalizeAuthorName("Conor O'Brien"), "conor obrien");
}

TEST(NormalizeAuthorNameTest, LatexAccents) {
  EXPECT_EQ(NormalizeAuthorName("J\\\"urgen Schmidhuber"),
            "jurgen schmidhuber");
  EXPECT_EQ(NormalizeAuthorName("J{\\\"u}rgen Schmidhuber"),
            "jurgen schmidhuber");
  EXPECT_EQ(NormalizeAuthorName("J\\\"{u}rgen Schmidhuber"),
            "jurgen schmidhuber");
  EXPECT_EQ(NormalizeAuthorName("Ren\\'e Vidal"), "rene vidal");
  EXPECT_EQ(NormalizeAuthorName("Fran\\c{c}ois Chollet"), "francois chollet");
  EXPECT_EQ(NormalizeAuthorName("Fran\\c cois Chollet"), "francois chollet");
  EXPECT_EQ(NormalizeAuthorName("Pierre-Andr\\`e Noel"), "pierre andre noel");
  EXPECT_EQ(NormalizeAuthorName("Gr\\\"{o}\\ss{}e"), "grosse");
  EXPECT_EQ(NormalizeAuthorName("Bj\\o rn Ommer"), "bjorn ommer");
  EXPECT_EQ(NormalizeAuthorName("Anton\\'{\\i}n Dvo\\v{r}\\'ak"),
            "antonin dvorak");
}

TEST(NormalizeAuthorNameTest, Utf8Accents) {
  EXPECT_EQ(NormalizeAuthorName("Jürgen Schmidhuber"), "jurgen schmidhuber");
  EXPECT_EQ(NormalizeAuthorName("François Fleuret"), "francois fleuret");
  EXPECT_EQ(NormalizeAuthorName("Łukasz Kaiser"), "lukasz kaiser");
  EXPECT_EQ(NormalizeAuthorName("Größe"), "grosse");
  EXPECT_EQ(NormalizeAuthorName("Antonín Dvořák"), "antonin dvorak");
  EXPECT_EQ(NormalizeAuthorName("Ștefan Țiței"), "stefan titei");
  // Decomposed (NFD) "é": e + combining acute accent.
  EXPECT_EQ(NormalizeAuthorName("Rene\xCC\x81 Vidal"), "rene vidal");
  // Non-Latin scripts are kept, lower-casing only touches ASCII.
  EXPECT_EQ(NormalizeAuthorName("王 小明"), "王 小明");
}

TEST(NormalizeAuthorNameTest, LastCommaFirst) {
  EXPECT_EQ(NormalizeAuthorName("Kolter, J. Zico"), "j zico kolter");
  EXPECT_EQ(NormalizeAuthorName("Schmidhuber,Jürgen"), "jurgen schmidhuber");
  EXPECT_EQ(NormalizeAuthorName("Martin Luther King, Jr."),
            "martin luther king");
  EXPECT_EQ(NormalizeAuthorName("King, Martin Luther, Jr."),
            "martin luther king");
  EXPECT_EQ(NormalizeAuthorName("Martin Luther King Jr"), "martin luther king");
}

std::vector<FollowedAuthor> Follow(std::vector<std::string> names) {
  std::vector<FollowedAuthor> out;
  for (std::string& n : names) out.push_back({std::move(n), ""});
  return out;
}

TEST(IsFollowedAuthorTest, SpellingVariantsMatch) {
  const auto followed = Follow({"Jürgen Schmidhuber", "Zico Kolter"});
  EXPECT_TRUE(
      IsFollowedAuthor({"A. Person", "J\\\"urgen Schmidhuber"}, followed));
  EXPECT_TRUE(IsFollowedAuthor({"JURGEN  SCHMIDHUBER"}, followed));
  EXPECT_TRUE(IsFollowedAuthor({"Schmidhuber, Jürgen"}, followed));
  EXPECT_TRUE(IsFollowedAuthor({"J. Zico Kolter"}, followed));
  EXPECT_TRUE(IsFollowedAuthor({"Kolter, J. Zico"}, followed));
  EXPECT_TRUE(IsFollowedAuthor({"Zico Kolter"}, Follow({"J. Zico Kolter"})));
}

TEST(IsFollowedAuthorTest, MiddleNamesAreOptionalButMustAgree) {
  const auto followed = Follow({"Michael I. Jordan"});
  EXPECT_TRUE(IsFollowedAuthor({"Michael Jordan"}, followed));
  EXPECT_TRUE(IsFollowedAuthor({"Michael Irwin Jordan"}, followed));
  EXPECT_FALSE(IsFollowedAuthor({"Michael B. Jordan"}, followed));
}

TEST(IsFollowedAuthorTest, FirstAndLastNamesMustAgree) {
  const auto followed = Follow({"Zico Kolter", "Yann LeCun"});
  EXPECT_FALSE(IsFollowedAuthor({"J. Kolter"}, followed));  // initial only
  EXPECT_FALSE(IsFollowedAuthor({"Zico Smith"}, followed));
  EXPECT_FALSE(IsFollowedAuthor({"Yann Dauphin", "Kolter"}, followed));
  EXPECT_FALSE(IsFollowedAuthor({}, followed));
  EXPECT_FALSE(IsFollowedAuthor({"Yann LeCun"}, {}));
  EXPECT_TRUE(IsFollowedAuthor({"Yann Le Cun"}, Follow({"Yann Le Cun"})));
}

TEST(IsFollowedAuthorTest, InitialsOnlyNamesMatchTheSameInitials) {
  EXPECT_TRUE(IsFollowedAuthor({"J. Smith"}, Follow({"J Smith"})));
  EXPECT_FALSE(IsFollowedAuthor({"K. Smith"}, Follow({"J Smith"})));
}

TEST(IsFollowedAuthorTest, MononymsMatchWhole) {
  EXPECT_TRUE(IsFollowedAuthor({"Mononym"}, Follow({"mononym"})));
  EXPECT_FALSE(IsFollowedAuthor({"Mononym Other"}, Follow({"Mononym"})));
}

// "Name, id" lines are matched by name only while S2 cannot tell the
// paper's author ids; lines without an id always are.
TEST(NameMatchCandidatesTest, IdLinesLeaveNameMatchingWhenS2KnowsTheIds) {
  const std::vector<FollowedAuthor> followed = {{"Jane Doe", "123"},
                                                {"John Roe", ""}};
  const std::vector<FollowedAuthor> known = NameMatchCandidates(followed, true);
  ASSERT_EQ(known.size(), 1u);
  EXPECT_EQ(known[0].name, "John Roe");
  EXPECT_FALSE(IsFollowedAuthor({"Jane Doe"}, known));
  EXPECT_TRUE(IsFollowedAuthor({"John Roe"}, known));
  const std::vector<FollowedAuthor> unknown =
      NameMatchCandidates(followed, false);
  EXPECT_EQ(unknown.size(), 2u);
  EXPECT_TRUE(IsFollowedAuthor({"Jane Doe"}, unknown));
}

}  // namespace
}  // namespace arxiv_digest
