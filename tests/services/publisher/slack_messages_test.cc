// The Slack Web API messages built from the real digest of 2025-04-22
// (tests/fixtures/reference/scored-2025-04-22.json, 29 papers): valid
// Block Kit JSON, the header with the top titles, one reply per paper
// within Slack's 3000-character section limit, escaping and truncation.
#include "services/publisher/logic/slack_messages.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "lib/json/json_util.h"
#include "services/publisher/logic/json_renderer.h"

namespace arxiv_digest {
namespace {

PublishedDigest RealDigest() {
  std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) +
                   "/tests/fixtures/reference/scored-2025-04-22.json");
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::vector<ScoredPaper>> papers = ParseScoredJson(text.str());
  EXPECT_TRUE(papers.ok()) << papers.status();
  PublishedDigest d;
  d.date = "2025-04-22";
  if (papers.ok()) d.ranked = *papers;
  return d;
}

// Every section/header text of a blocks array, checked against Slack's
// limits on the way.
std::vector<std::string> BlockTexts(const std::string& blocks_json) {
  std::vector<std::string> texts;
  absl::StatusOr<rapidjson::Document> doc = ParseJson(blocks_json);
  EXPECT_TRUE(doc.ok()) << blocks_json;
  if (!doc.ok() || !doc->IsArray()) return texts;
  EXPECT_LE(doc->Size(), 50u);
  for (const rapidjson::Value& block : doc->GetArray()) {
    std::string type = GetString(block, "type").value_or("");
    if (type == "divider") continue;
    auto text = block.FindMember("text");
    EXPECT_TRUE(text != block.MemberEnd() && text->value.IsObject());
    if (text == block.MemberEnd() || !text->value.IsObject()) continue;
    std::string t = GetString(text->value, "text").value_or("");
    EXPECT_LE(t.size(),
              type == "header" ? kSlackMaxHeaderText : kSlackMaxSectionText);
    texts.push_back(t);
  }
  return texts;
}

TEST(SlackMessagesTest, HeaderListsTopTitlesOfTheRealDigest) {
  const PublishedDigest d = RealDigest();
  ASSERT_EQ(d.ranked.size(), 29u);
  SlackMessageOptions options;
  options.digest_base_url = "https://digest.example.org";
  SlackMessage header = SlackHeaderMessage(d, options);
  EXPECT_EQ(header.text, "arXiv digest 2025-04-22: 29 relevant papers");
  std::vector<std::string> texts = BlockTexts(header.blocks_json);
  ASSERT_EQ(texts.size(), 2u + 10u);  // header, summary, 10 titles
  EXPECT_EQ(texts[0], "arXiv digest 2025-04-22");
  EXPECT_EQ(texts[1],
            "*29 relevant papers*, each in the thread below. "
            "<https://digest.example.org/p/default/2025-04-22|Full digest>");
  for (int i = 0; i < 10; ++i) {
    const ScoredPaper& sp = d.ranked[i];
    EXPECT_EQ(
        texts[2 + i].rfind(absl::StrCat("<https://arxiv.org/abs/",
                                        sp.paper.arxiv_id, "|*", i + 1, ". "),
                           0),
        0u)
        << texts[2 + i];
    EXPECT_NE(texts[2 + i].find("\n*Authors*: "), std::string::npos);
  }
}

// On a phone the header says where the rest of the day went, under the
// summary line, escaped for mrkdwn.
TEST(SlackMessagesTest, HeaderSaysHowThePapersWereSelected) {
  PublishedDigest d = RealDigest();
  d.selection_summary =
      "How the 462 papers were selected: 400 dropped by the title stage, 33 "
      "by their scores; 29 in this digest.";
  std::vector<std::string> texts =
      BlockTexts(SlackHeaderMessage(d, SlackMessageOptions{}).blocks_json);
  ASSERT_GE(texts.size(), 2u);
  EXPECT_EQ(texts[1],
            "*29 relevant papers*, each in the thread below.\n_How the 462 "
            "papers were selected: 400 dropped by the title stage, 33 by "
            "their scores; 29 in this digest._");
  d.selection_summary = "a <b> & c";
  texts = BlockTexts(SlackHeaderMessage(d, SlackMessageOptions{}).blocks_json);
  EXPECT_NE(texts[1].find("_a &lt;b&gt; &amp; c_"), std::string::npos)
      << texts[1];
}

TEST(SlackMessagesTest, OneReplyPerPaperWithinSlackLimits) {
  const PublishedDigest d = RealDigest();
  std::vector<SlackMessage> replies = SlackThreadReplies(d, {});
  ASSERT_EQ(replies.size(), d.ranked.size());
  for (size_t i = 0; i < replies.size(); ++i) {
    const ScoredPaper& sp = d.ranked[i];
    std::vector<std::string> texts = BlockTexts(replies[i].blocks_json);
    ASSERT_EQ(texts.size(), 1u);
    const std::string& t = texts[0];
    EXPECT_NE(t.find(absl::StrCat("https://arxiv.org/abs/", sp.paper.arxiv_id)),
              std::string::npos);
    EXPECT_NE(t.find("*Abstract*: "), std::string::npos);
    if (sp.score.author_match) {
      EXPECT_NE(t.find("*Followed author*"), std::string::npos);
    } else {
      EXPECT_NE(t.find(absl::StrCat("*Relevance*: ", sp.score.relevance,
                                    "\t*Novelty*: ", sp.score.novelty)),
                std::string::npos)
          << t;
    }
    // After the link line, raw markup never reaches Slack unescaped.
    const std::string rest = t.substr(t.find('\n'));
    EXPECT_EQ(rest.find_first_of("<>|"), std::string::npos) << t;
  }
}

TEST(SlackMessagesTest, LongAbstractIsCutNotTheLinkOrScores) {
  ScoredPaper sp;
  sp.paper.arxiv_id = "2504.00001";
  sp.paper.title = "A <b>bold</b> & | title";
  sp.paper.authors = {"Jörg Müller"};
  sp.paper.abstract = std::string(5000, 'x') + " end";
  sp.score.relevance = 8;
  sp.score.novelty = 9;
  SlackMessage reply = SlackPaperReply(sp, 7);
  std::vector<std::string> texts = BlockTexts(reply.blocks_json);
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0].size(), kSlackMaxSectionText);
  EXPECT_EQ(texts[0].rfind("<https://arxiv.org/abs/2504.00001|*7. A "
                           "&lt;b&gt;bold&lt;/b&gt; &amp; / title*>\n"
                           "*Authors*: Jörg Müller\n\n*Abstract*: xxx",
                           0),
            0u)
      << texts[0].substr(0, 200);
  EXPECT_NE(texts[0].find("x…\n\n*Relevance*: 8\t*Novelty*: 9"),
            std::string::npos);
}

TEST(SlackMessagesTest, TruncateKeepsCharactersAndEscapesWhole) {
  EXPECT_EQ(TruncateUtf8("short", 10), "short");
  // "ü" is two bytes: never cut in half.
  EXPECT_EQ(TruncateUtf8("aaüüü", 6), "aa…");
  EXPECT_EQ(TruncateUtf8("ab&amp;cdef", 8), "ab…");
  EXPECT_EQ(TruncateUtf8("ab&amp;cdefgh", 10), "ab&amp;…");
  EXPECT_EQ(TruncateUtf8("abcdef", 2), "");
  EXPECT_EQ(SlackEscape("a<b>&c|d\ne"), "a&lt;b&gt;&amp;c/d e");
}

TEST(SlackMessagesTest, EmptyNoticeAndPostBody) {
  PublishedDigest d;
  d.date = "2025-04-22";
  d.profile = "alice";
  d.version = 2;
  SlackMessage notice = SlackEmptyNotice(d, {});
  EXPECT_EQ(notice.text,
            "arXiv digest 2025-04-22 (alice), version 2: no papers today");
  std::vector<std::string> texts = BlockTexts(notice.blocks_json);
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[1], "No papers passed the cut-offs today.");

  std::string body = ChatPostMessageBody(notice, "C1", "1700000000.000001");
  absl::StatusOr<rapidjson::Document> doc = ParseJson(body);
  ASSERT_TRUE(doc.ok()) << body;
  EXPECT_EQ(GetString(*doc, "channel").value_or(""), "C1");
  EXPECT_EQ(GetString(*doc, "thread_ts").value_or(""), "1700000000.000001");
  EXPECT_EQ(GetBool(*doc, "unfurl_links"), std::optional<bool>(false));
  EXPECT_TRUE((*doc)["blocks"].IsArray());
  body = ChatPostMessageBody(notice, "C1", "");
  EXPECT_EQ(body.find("thread_ts"), std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
