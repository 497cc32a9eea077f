// Builds the delivery sinks of every profile from its [DELIVERY] settings
// and routes each published digest to the sinks of its own profile.
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

class ProfileDeliveryRouter {
 public:
  // http is used by webhook sinks; env_lookup reads secrets (webhook URLs).
  ProfileDeliveryRouter(const std::map<std::string, Config>& profiles,
                        HttpClient& http, EnvLookup env_lookup);
  // The sinks of one profile (empty for an unknown one).
  std::vector<DigestSink*> SinksFor(const std::string& profile) const;
  // "profile: slack, smtp" lines, for the start-up log.
  std::vector<std::string> Describe() const;

 private:
  std::map<std::string, std::vector<std::unique_ptr<DigestSink>>> sinks_;
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
