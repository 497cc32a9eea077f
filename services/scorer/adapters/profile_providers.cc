#include "services/scorer/adapters/profile_providers.h"

#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "lib/config/profiles.h"
#include "services/scorer/adapters/scorer_slots.h"

namespace arxiv_digest {
namespace {

constexpr char kDefaultKeyEnv[] = "OPENAI_API_KEY";

// "default" first: the other profiles override it.
std::vector<std::pair<std::string, const Config*>> InOrder(
    const std::map<std::string, Config>& profiles) {
  std::vector<std::pair<std::string, const Config*>> ordered;
  if (auto d = profiles.find(kDefaultProfile); d != profiles.end()) {
    ordered.emplace_back(d->first, &d->second);
  }
  for (const auto& [name, config] : profiles) {
    if (name != kDefaultProfile) ordered.emplace_back(name, &config);
  }
  return ordered;
}

}  // namespace

LlmProbeNames ProbeNamesFor(const std::string& profile, const Config& config) {
  const OpenAiClientOptions options = LlmOptionsFor(config);
  LlmProbeNames names;
  names.profile = profile;
  names.base_url = options.base_url_setting;
  names.api_key = options.api_key_setting;
  return names;
}

absl::Status CheckProfileProviders(
    const std::map<std::string, Config>& profiles) {
  for (const auto& [name, config] : InOrder(profiles)) {
    if (!config->llm.api_key.empty()) continue;
    if (name == kDefaultProfile &&
        config->selection.api_key_env == kDefaultKeyEnv) {
      continue;  // ChooseBackend's "OPENAI_API_KEY: not set"
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "profile '", name, "': [SELECTION] api_key_env: the variable ",
        config->selection.api_key_env,
        " is not set (or set SCORER_BACKEND=lexical for the built-in local "
        "scorer)"));
  }
  return absl::OkStatus();
}

std::vector<LlmProbeTarget> ProfileProbeTargets(
    const std::map<std::string, Config>& profiles, LlmTransports& transports) {
  std::vector<LlmProbeTarget> targets;
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (const auto& [name, config] : InOrder(profiles)) {
    const bool first =
        seen.emplace(NormalizedBaseUrl(config->llm.base_url),
                     config->llm.api_key, config->selection.model)
            .second;
    if (!first) continue;
    LlmProbeTarget target;
    target.http = &transports.For(config->selection);
    target.llm = LlmOptionsFor(*config);
    target.names = ProbeNamesFor(name, *config);
    targets.push_back(std::move(target));
  }
  return targets;
}

}  // namespace arxiv_digest
