// Which sinks each profile gets from its [DELIVERY] settings.
#include "services/publisher/adapters/delivery_sinks.h"

#include <gtest/gtest.h>

namespace arxiv_digest {
namespace {

std::string FakeEnv(const char* name) {
  return std::string(name) == "TEAM_SLACK" ? "https://hooks.example/T/B/x" : "";
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

}  // namespace
}  // namespace arxiv_digest
