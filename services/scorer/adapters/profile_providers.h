// The LLM provider of every profile ([SELECTION] base_url, api_key_env,
// extra_headers_env; lib/config ResolveLlmProvider) as the scorer checks it
// at startup: every key present, and each distinct endpoint probed once.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "lib/config/config.h"
#include "services/scorer/adapters/llm_probe.h"
#include "services/scorer/adapters/llm_transport.h"

namespace arxiv_digest {

// The names the probe's messages use for `config`'s provider settings:
// OPENAI_BASE_URL / OPENAI_API_KEY when the profile uses the environment's
// defaults, else "[SELECTION] base_url" / "[SELECTION] api_key_env (NAME)".
LlmProbeNames ProbeNamesFor(const std::string& profile, const Config& config);

// For an LLM scorer: every profile's key variable must be set. The default
// profile reading OPENAI_API_KEY is left to ChooseBackend (its message
// stays as it was); any other gets InvalidArgument naming the profile, the
// setting and the variable (never a value).
absl::Status CheckProfileProviders(
    const std::map<std::string, Config>& profiles);

// One probe per distinct (base URL, key, model), "default" first, then by
// name; each through the transport of the first profile naming it.
std::vector<LlmProbeTarget> ProfileProbeTargets(
    const std::map<std::string, Config>& profiles, LlmTransports& transports);

}  // namespace arxiv_digest
