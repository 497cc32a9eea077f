#include "services/publisher/adapters/delivery_sinks.h"

#include "absl/strings/str_cat.h"
#include "lib/log/log.h"
#include "services/publisher/adapters/slack_bot_sink.h"
#include "services/publisher/adapters/slack_sink.h"
#include "services/publisher/adapters/smtp_sink.h"

namespace arxiv_digest {

ProfileDeliveryRouter::ProfileDeliveryRouter(
    const std::map<std::string, Config>& profiles, HttpClient& http,
    EnvLookup env_lookup, const DeliveryEndpoints& endpoints) {
  for (const auto& [name, config] : profiles) {
    const DeliveryConfig& d = config.delivery;
    std::vector<std::unique_ptr<DigestSink>>& sinks = sinks_[name];
    auto env = [&](const std::string& var) {
      return var.empty() ? std::string() : env_lookup(var.c_str());
    };
    bool bot = false;
    if (config.output.push_to_slack) {
      SlackBotSinkOptions o;
      o.api_base_url = endpoints.slack_api_base_url;
      o.token = env(d.slack_token_env);  // a secret: never logged
      o.channel = env(d.slack_channel_env);
      o.messages.top_titles = d.slack_top_papers;
      o.messages.digest_base_url = d.digest_base_url;
      o.notify_empty = d.notify_empty;
      if (!o.token.empty() && !o.channel.empty()) {
        sinks.push_back(std::make_unique<SlackBotSink>(http, std::move(o)));
        bot = true;
      } else {
        warnings_.push_back(absl::StrCat(
            name, ": push_to_slack = true but the environment variables ",
            d.slack_token_env, " and ", d.slack_channel_env,
            " are not both set: no Slack bot post"));
      }
    }
    if (std::string url = env(d.slack_webhook_env); !url.empty()) {
      if (bot) {
        warnings_.push_back(absl::StrCat(
            name, ": ", d.slack_webhook_env,
            " is set but the Slack bot posts (push_to_slack = true): the "
            "webhook is not used"));
      } else {
        SlackSinkOptions o;
        o.webhook_url = std::move(url);  // a secret: never logged
        o.top_papers = d.slack_top_papers;
        o.digest_base_url = d.digest_base_url;
        o.notify_empty = d.notify_empty;
        sinks.push_back(std::make_unique<SlackSink>(http, o));
      }
    }
    if (!d.smtp_host.empty()) {
      absl::StatusOr<SmtpSecurity> security =
          ParseSmtpSecurity(d.smtp_security);
      if (!security.ok()) {
        warnings_.push_back(absl::StrCat(
            name, ": [DELIVERY] ", security.status().message(), ": no e-mail"));
        continue;
      }
      SmtpSinkOptions o;
      o.server.host = d.smtp_host;
      o.server.port = d.smtp_port;
      o.server.security = *security;
      o.server.username = env(d.smtp_user_env);
      o.server.password = env(d.smtp_password_env);  // a secret
      o.server.ca_file = endpoints.smtp_ca_file;
      o.from = d.smtp_from;
      o.to = d.smtp_to;
      o.digest_base_url = d.digest_base_url;
      o.notify_empty = d.notify_empty;
      if (!o.server.username.empty() && o.server.password.empty()) {
        warnings_.push_back(absl::StrCat(name, ": ", d.smtp_user_env,
                                         " is set but ", d.smtp_password_env,
                                         " is empty"));
      }
      sinks.push_back(std::make_unique<SmtpSink>(std::move(o)));
    }
  }
}

std::vector<DigestSink*> ProfileDeliveryRouter::SinksFor(
    const std::string& profile) const {
  std::vector<DigestSink*> out;
  auto it = sinks_.find(profile);
  if (it == sinks_.end()) return out;
  for (const auto& sink : it->second) out.push_back(sink.get());
  return out;
}

std::vector<std::string> ProfileDeliveryRouter::Describe() const {
  std::vector<std::string> out;
  for (const auto& [profile, sinks] : sinks_) {
    std::string line = profile + ":";
    for (const auto& s : sinks) line += " " + s->name();
    if (sinks.empty()) line += " (files and Redis only)";
    out.push_back(line);
  }
  return out;
}

ServiceDelivery::ServiceDelivery(const std::map<std::string, Config>& profiles,
                                 EnvLookup env_lookup)
    : http_(
          HttpClientOptions{std::chrono::seconds(5), std::chrono::seconds(15)}),
      router_(profiles, http_, env_lookup) {
  for (const std::string& line : router_.Describe()) {
    LogInfo("delivery", {{"sinks", line}});
  }
  for (const std::string& warning : router_.Warnings()) {
    LogWarning("delivery setting has no effect", {{"reason", warning}});
  }
}

SinksForProfile ServiceDelivery::Sinks() const {
  return
      [this](const std::string& profile) { return router_.SinksFor(profile); };
}

}  // namespace arxiv_digest
