#include "services/publisher/adapters/delivery_sinks.h"

#include "lib/log/log.h"
#include "services/publisher/adapters/slack_sink.h"
#include "services/publisher/adapters/smtp_sink.h"

namespace arxiv_digest {

ProfileDeliveryRouter::ProfileDeliveryRouter(
    const std::map<std::string, Config>& profiles, HttpClient& http,
    EnvLookup env_lookup) {
  for (const auto& [name, config] : profiles) {
    const DeliveryConfig& d = config.delivery;
    std::vector<std::unique_ptr<DigestSink>>& sinks = sinks_[name];
    if (std::string url = env_lookup(d.slack_webhook_env.c_str());
        !d.slack_webhook_env.empty() && !url.empty()) {
      SlackSinkOptions o;
      o.webhook_url = std::move(url);  // a secret: never logged
      o.top_papers = d.slack_top_papers;
      o.digest_base_url = d.digest_base_url;
      sinks.push_back(std::make_unique<SlackSink>(http, o));
    }
    if (!d.smtp_host.empty()) {
      SmtpSinkOptions o;
      o.host = d.smtp_host;
      o.port = d.smtp_port;
      o.from = d.smtp_from;
      o.to = d.smtp_to;
      o.digest_base_url = d.digest_base_url;
      sinks.push_back(std::make_unique<SmtpSink>(o));
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
}

SinksForProfile ServiceDelivery::Sinks() const {
  return
      [this](const std::string& profile) { return router_.SinksFor(profile); };
}

}  // namespace arxiv_digest
