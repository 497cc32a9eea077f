// SlackBotSink against a local Slack Web API stub (tests/support/
// slack_api_stub.h): the header message, then one threaded reply per paper
// under the header's ts, the bot token only in the Authorization header,
// 429 with Retry-After retried, Slack's ok:false errors named, and empty
// digests (nothing, or a notice with notify_empty).
#include "services/publisher/adapters/slack_bot_sink.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "lib/http_transport/httplib_client.h"
#include "tests/support/fake_clock.h"
#include "tests/support/slack_api_stub.h"

namespace arxiv_digest {
namespace {

using testing::SlackApiStub;
using testing::SlackStubAnswer;

constexpr char kToken[] = "xoxb-test-secret-token";

PublishedDigest MakeDigest(int papers) {
  PublishedDigest d;
  d.run_id = "2025-04-08-abc";
  d.profile = "default";
  d.date = "2025-04-08";
  for (int i = 0; i < papers; ++i) {
    ScoredPaper sp;
    sp.paper.arxiv_id = absl::StrCat("2504.0010", i);
    sp.paper.title = absl::StrCat("Paper ", i);
    sp.paper.authors = {"Ada Lovelace", "Alan Turing"};
    sp.paper.abstract = absl::StrCat("Abstract of paper ", i, ".");
    sp.score.relevance = 9;
    sp.score.novelty = 7;
    sp.score.comment = "Matches criterion 1.";
    d.ranked.push_back(sp);
  }
  return d;
}

class SlackBotSinkTest : public ::testing::Test {
 protected:
  SlackBotSinkOptions Options() {
    SlackBotSinkOptions o;
    o.api_base_url = stub_.base_url();
    o.token = kToken;
    o.channel = "C0123456789";
    return o;
  }
  absl::Status Deliver(SlackBotSinkOptions o, const PublishedDigest& d) {
    return SlackBotSink(http_, std::move(o), clock_).Deliver(d);
  }

  SlackApiStub stub_{kToken};
  HttplibClient http_;
  FakeClock clock_;
};

TEST_F(SlackBotSinkTest, HeaderThenOneThreadedReplyPerPaper) {
  absl::Status s = Deliver(Options(), MakeDigest(3));
  ASSERT_TRUE(s.ok()) << s;
  auto posts = stub_.posts();
  ASSERT_EQ(posts.size(), 4u);
  for (const auto& p : posts) {
    EXPECT_EQ(p.authorization, absl::StrCat("Bearer ", kToken));
    EXPECT_EQ(p.content_type, "application/json; charset=utf-8");
    EXPECT_EQ(p.channel, "C0123456789");
    EXPECT_FALSE(p.ts.empty());
    EXPECT_EQ(p.body.find(kToken), std::string::npos);  // header only
  }
  // The header: top level, the titles of all three papers.
  EXPECT_TRUE(posts[0].thread_ts.empty());
  EXPECT_EQ(posts[0].text, "arXiv digest 2025-04-08: 3 relevant papers");
  EXPECT_EQ(posts[0].block_count, 3 + 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NE(posts[0].blocks_json.find(
                  absl::StrCat("<https://arxiv.org/abs/2504.0010", i, "|*",
                               i + 1, ". Paper ", i, "*>")),
              std::string::npos)
        << posts[0].blocks_json;
  }
  // The thread: every reply under the header's ts, in digest order.
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(posts[i].thread_ts, posts[0].ts) << i;
    EXPECT_EQ(posts[i].text, absl::StrCat(i, ". Paper ", i - 1));
    EXPECT_NE(posts[i].blocks_json.find(
                  absl::StrCat("*Abstract*: Abstract of paper ", i - 1, ".")),
              std::string::npos);
    EXPECT_NE(posts[i].blocks_json.find("*Authors*: Ada Lovelace, Alan Turing"),
              std::string::npos);
    EXPECT_NE(posts[i].blocks_json.find(
                  "*Relevance*: 9\\t*Novelty*: 7\\t*Comment*: Matches "
                  "criterion 1."),
              std::string::npos)
        << posts[i].blocks_json;
  }
  EXPECT_TRUE(clock_.sleeps().empty());
}

TEST_F(SlackBotSinkTest, RateLimitIsRetriedAfterRetryAfter) {
  // The header is rate limited once, then the second reply twice.
  stub_.Script({{429, "3", ""},
                {200, "", ""},
                {200, "", ""},
                {429, "1", ""},
                {429, "2", ""}});
  absl::Status s = Deliver(Options(), MakeDigest(2));
  ASSERT_TRUE(s.ok()) << s;
  auto posts = stub_.posts();
  ASSERT_EQ(posts.size(), 6u);
  ASSERT_EQ(clock_.sleeps().size(), 3u);
  EXPECT_EQ(clock_.sleeps()[0], std::chrono::seconds(3));
  EXPECT_EQ(clock_.sleeps()[1], std::chrono::seconds(1));
  EXPECT_EQ(clock_.sleeps()[2], std::chrono::seconds(2));
  // The thread hangs under the header that finally went through.
  const std::string header_ts = posts[1].ts;
  ASSERT_FALSE(header_ts.empty());
  EXPECT_EQ(posts[2].thread_ts, header_ts);
  EXPECT_EQ(posts[5].thread_ts, header_ts);
  EXPECT_FALSE(posts[5].ts.empty());
}

TEST_F(SlackBotSinkTest, SlackErrorIsNamedAndStopsTheThread) {
  stub_.Script({{200, "", "channel_not_found"}});
  absl::Status s = Deliver(Options(), MakeDigest(2));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            absl::StrCat("slack-bot: POST ", stub_.base_url(),
                         "/chat.postMessage: Slack error 'channel_not_found'"));
  EXPECT_EQ(stub_.posts().size(), 1u);
  EXPECT_TRUE(clock_.sleeps().empty());
}

TEST_F(SlackBotSinkTest, FailedReplySaysHowFarTheThreadGot) {
  stub_.Script({{200, "", ""}, {200, "", ""}, {200, "", "msg_too_long"}});
  absl::Status s = Deliver(Options(), MakeDigest(3));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("'msg_too_long' (thread reply 2 of 3; 1 posted)"),
            std::string::npos)
      << s;
}

TEST_F(SlackBotSinkTest, BadTokenIsInvalidAuthAndNeverQuoted) {
  SlackBotSinkOptions o = Options();
  o.token = "xoxb-wrong-secret";
  absl::Status s = Deliver(o, MakeDigest(1));
  EXPECT_NE(s.message().find("'invalid_auth'"), std::string::npos) << s;
  EXPECT_EQ(s.message().find("secret"), std::string::npos) << s;
}

TEST_F(SlackBotSinkTest, GivesUpOnPersistentRateLimit) {
  stub_.Script(
      {{429, "1", ""}, {429, "1", ""}, {429, "1", ""}, {429, "1", ""}});
  absl::Status s = Deliver(Options(), MakeDigest(1));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("HTTP 429 after 4 attempts"), std::string::npos)
      << s;
  EXPECT_EQ(stub_.posts().size(), 4u);
}

TEST_F(SlackBotSinkTest, EmptyDigestPostsNothingUnlessNotifyEmpty) {
  ASSERT_TRUE(Deliver(Options(), MakeDigest(0)).ok());
  EXPECT_TRUE(stub_.posts().empty());
  SlackBotSinkOptions o = Options();
  o.notify_empty = true;
  ASSERT_TRUE(Deliver(o, MakeDigest(0)).ok());
  auto posts = stub_.posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].text, "arXiv digest 2025-04-08: no papers today");
  EXPECT_TRUE(posts[0].thread_ts.empty());
}

TEST_F(SlackBotSinkTest, ThreadIsCappedAtThreadLimit) {
  SlackBotSinkOptions o = Options();
  o.messages.thread_limit = 2;
  o.messages.top_titles = 1;
  ASSERT_TRUE(Deliver(o, MakeDigest(5)).ok());
  auto posts = stub_.posts();
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0].block_count, 3 + 1);
  EXPECT_NE(posts[0].blocks_json.find("the first 2 in the thread below"),
            std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
