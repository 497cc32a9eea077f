// Builds the delivery sinks of every profile from its [DELIVERY] settings
// and routes each published digest to the sinks of its own profile.
//
// Slack: with [OUTPUT] push_to_slack = true and both the bot token
// (slack_token_env, SLACK_KEY) and the channel (slack_channel_env,
// SLACK_CHANNEL_ID) set, the bot posts the header + thread; the webhook is
// then not used, so the channel does not get the digest twice. With
// push_to_slack = false the bot never posts, whatever the environment; the
// incoming webhook (slack_webhook_env) posts whenever its URL is set, as
// before (the shipped config.ini has push_to_slack = false).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lib/config/config.h"
#include "lib/http/http_client.h"
#include "lib/http_transport/httplib_client.h"
#include "services/publisher/logic/delivery.h"

namespace arxiv_digest {

// Where the sinks connect, for tests (production uses the defaults).
struct DeliveryEndpoints {
  std::string slack_api_base_url = "https://slack.com/api";
  std::string smtp_ca_file;  // extra trust anchors; empty = system store
};

class ProfileDeliveryRouter {
 public:
  // http is used by the Slack sinks; env_lookup reads secrets (webhook URL,
  // bot token, SMTP user and password) and the Slack channel.
  ProfileDeliveryRouter(const std::map<std::string, Config>& profiles,
                        HttpClient& http, EnvLookup env_lookup,
                        const DeliveryEndpoints& endpoints = {});
  // The sinks of one profile (empty for an unknown one).
  std::vector<DigestSink*> SinksFor(const std::string& profile) const;
  // "profile: slack, smtp" lines, for the start-up log.
  std::vector<std::string> Describe() const;
  // Settings that cannot take effect ("profile: push_to_slack = true but
  // ..."), for start-up warnings. Never contain a secret.
  const std::vector<std::string>& Warnings() const { return warnings_; }

 private:
  std::map<std::string, std::vector<std::unique_ptr<DigestSink>>> sinks_;
  std::vector<std::string> warnings_;
};

// The publisher process's delivery: a router over its own HTTP client, whose
// webhook calls time out quickly (5 s connect, 15 s read) so a slow Slack
// never holds the publisher for long. Logs every profile's sinks at start.
class ServiceDelivery {
 public:
  ServiceDelivery(const std::map<std::string, Config>& profiles,
                  EnvLookup env_lookup);
  // Valid while this object lives.
  SinksForProfile Sinks() const;

 private:
  HttplibClient http_;
  ProfileDeliveryRouter router_;
};

}  // namespace arxiv_digest
