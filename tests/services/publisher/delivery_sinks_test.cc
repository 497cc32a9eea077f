// Which sinks each profile gets from its [DELIVERY] settings.
#include "services/publisher/adapters/delivery_sinks.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "lib/http_transport/httplib_client.h"
#include "tests/support/slack_api_stub.h"
#include "tests/support/smtp_test_server.h"

namespace arxiv_digest {
namespace {

std::string FakeEnv(const char* name) {
  const std::string n = name;
  if (n == "TEAM_SLACK") {
    return "https://hooks.example/T/B/x";
  }
  if (n == "SLACK_KEY") return "xoxb-secret-token";
  if (n == "SLACK_CHANNEL_ID") return "C0123456789";
  if (n == "SMTP_USER") return "digest-bot";
  if (n == "SMTP_PASSWORD") return "s3cret-pass";
  return "";
}

std::vector<std::string> SinkNames(const ProfileDeliveryRouter& router,
                                   const std::string& profile) {
  std::vector<std::string> names;
  for (DigestSink* sink : router.SinksFor(profile)) {
    names.push_back(sink->name());
  }
  return names;
}

class NoHttp : public HttpClient {
 public:
  absl::StatusOr<HttpResponse> Send(const HttpRequest&) override {
    return absl::UnavailableError("no network in this test");
  }
};

TEST(ProfileDeliveryRouterTest, SinksFollowEachProfilesSettings) {
  std::map<std::string, Config> profiles;
  profiles["default"];  // SLACK_WEBHOOK_URL unset in FakeEnv: no sink
  profiles["team"].delivery.slack_webhook_env = "TEAM_SLACK";
  Config& mail = profiles["mail"];
  mail.delivery.smtp_host = "127.0.0.1";
  mail.delivery.smtp_from = "digest@example.org";
  mail.delivery.smtp_to = {"a@example.org", "b@example.org"};
  NoHttp http;
  ProfileDeliveryRouter router(profiles, http, &FakeEnv);
  EXPECT_TRUE(router.SinksFor("default").empty());
  ASSERT_EQ(router.SinksFor("team").size(), 1u);
  EXPECT_EQ(router.SinksFor("team")[0]->name(), "slack");
  ASSERT_EQ(router.SinksFor("mail").size(), 1u);
  EXPECT_EQ(router.SinksFor("mail")[0]->name(), "smtp");
  EXPECT_TRUE(router.SinksFor("nobody").empty());
  // The webhook URL is a secret: Describe() names sinks, never URLs.
  for (const std::string& line : router.Describe()) {
    EXPECT_EQ(line.find("hooks.example"), std::string::npos) << line;
  }
}

// push_to_slack = true with SLACK_KEY and SLACK_CHANNEL_ID: the bot posts
// and the webhook is not used (no double post); push_to_slack = false: the
// bot never posts, the webhook does as before; push_to_slack = true without
// the variables: a warning naming them, and the webhook still posts.
TEST(ProfileDeliveryRouterTest, PushToSlackChoosesTheBot) {
  std::map<std::string, Config> profiles;
  for (const char* name : {"bot", "hook", "missing"}) {
    profiles[name].delivery.slack_webhook_env = "TEAM_SLACK";
  }
  profiles["bot"].output.push_to_slack = true;
  profiles["hook"].output.push_to_slack = false;
  Config& missing = profiles["missing"];
  missing.output.push_to_slack = true;
  missing.delivery.slack_token_env = "NO_SUCH_TOKEN";
  profiles["none"].delivery.slack_webhook_env = "";
  NoHttp http;
  ProfileDeliveryRouter router(profiles, http, &FakeEnv);
  EXPECT_EQ(SinkNames(router, "bot"), std::vector<std::string>{"slack-bot"});
  EXPECT_EQ(SinkNames(router, "hook"), std::vector<std::string>{"slack"});
  EXPECT_EQ(SinkNames(router, "missing"), std::vector<std::string>{"slack"});
  EXPECT_TRUE(SinkNames(router, "none").empty());
  ASSERT_EQ(router.Warnings().size(), 2u);
  EXPECT_EQ(router.Warnings()[0],
            "bot: TEAM_SLACK is set but the Slack bot posts "
            "(push_to_slack = true): the webhook is not used");
  EXPECT_EQ(router.Warnings()[1],
            "missing: push_to_slack = true but the environment variables "
            "NO_SUCH_TOKEN and SLACK_CHANNEL_ID are not both set: no Slack "
            "bot post");
  for (const std::string& line : router.Describe()) {
    EXPECT_EQ(line.find("xoxb"), std::string::npos) << line;
  }
}

TEST(DeliveryConfigTest, SmtpNeedsSenderAndRecipients) {
  absl::StatusOr<IniFile> ini = ParseIni(
      "[FILTERING]\narxiv_category = cs.LG\n[DELIVERY]\nsmtp_host = relay\n");
  ASSERT_TRUE(ini.ok());
  absl::StatusOr<Config> c = ConfigFromIni(*ini);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(std::string(c.status().message()).find("[DELIVERY]"),
            std::string::npos);
  ini = ParseIni(
      "[FILTERING]\narxiv_category = cs.LG\n[DELIVERY]\nsmtp_host = relay\n"
      "smtp_port = 2525\nsmtp_from = d@x.org\nsmtp_to = a@x.org, b@x.org\n");
  c = ConfigFromIni(*ini);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->delivery.smtp_port, 2525);
  EXPECT_EQ(c->delivery.smtp_to,
            (std::vector<std::string>{"a@x.org", "b@x.org"}));
}

// The settings and environment reach the real sinks: the bot posts with
// the token and channel from the environment; the mail goes over STARTTLS
// with AUTH from SMTP_USER / SMTP_PASSWORD.
TEST(ProfileDeliveryRouterTest, EnvironmentReachesTheSinks) {
  testing::SlackApiStub slack("xoxb-secret-token");
  testing::SmtpTestServer smtp;
  ASSERT_TRUE(smtp.ok());
  std::map<std::string, Config> profiles;
  Config& c = profiles["default"];
  c.output.push_to_slack = true;
  c.delivery.smtp_host = "127.0.0.1";
  c.delivery.smtp_port = smtp.port();
  c.delivery.smtp_from = "digest@example.org";
  c.delivery.smtp_to = {"ada@example.org"};
  HttplibClient http;
  DeliveryEndpoints endpoints;
  endpoints.slack_api_base_url = slack.base_url();
  endpoints.smtp_ca_file = smtp.ca_file();
  ProfileDeliveryRouter router(profiles, http, &FakeEnv, endpoints);
  ASSERT_EQ(SinkNames(router, "default"),
            (std::vector<std::string>{"slack-bot", "smtp"}));
  PublishedDigest d;
  d.date = "2025-04-08";
  d.ranked.resize(2);
  for (DigestSink* sink : router.SinksFor("default")) {
    absl::Status s = sink->Deliver(d);
    EXPECT_TRUE(s.ok()) << sink->name() << ": " << s;
  }
  auto posts = slack.posts();
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0].channel, "C0123456789");
  EXPECT_EQ(posts[2].thread_ts, posts[0].ts);
  auto mails = smtp.messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].auth_user, "digest-bot");
  EXPECT_TRUE(mails[0].auth_over_tls);
}

}  // namespace
}  // namespace arxiv_digest
