// Builds the delivery sinks of every profile from its [DELIVERY] settings
// and routes each published digest to the sinks of its own profile.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lib/config/config.h"
#include "lib/http/http_client.h"
#include "services/publisher/adapters/digest_sink.h"

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

}  // namespace arxiv_digest
