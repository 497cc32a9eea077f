// The scorer's own flags and backend choice, as pure functions. The common
// flags (--configs, --admin-port, --admin-host, --help) and the parsing
// itself are lib/app/service_app.h's.
#pragma once

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "lib/core/flags.h"

namespace arxiv_digest {

extern const char kScorerUsage[];

// The flags beyond the common ones.
std::set<std::string> ScorerValueFlags();

struct ScorerFlags {
  std::string consumer;
  int admin_port = 9102;
  int claim_idle_ms = 60000;
  int max_deliveries = 5;
  int batch_fill_ms = 300;
};

// The scorer's values (default_consumer when --consumer is not given), or
// InvalidArgument naming the flag that is not an integer or is negative.
absl::StatusOr<ScorerFlags> ReadScorerFlags(
    const ParsedFlags& flags, const std::string& default_consumer);

// SCORER_BACKEND ("" = openai) checked against the API key: "openai" or
// "lexical", or an InvalidArgument message to print after "scorer: ".
absl::StatusOr<std::string> ChooseBackend(const std::string& backend_env,
                                          const std::string& api_key);

// Part of /readyz: the lexical backend needs nothing; the openai backend
// an API key and a base URL.
bool LlmConfigUsable(const std::string& backend, const std::string& api_key,
                     const std::string& base_url);

}  // namespace arxiv_digest
