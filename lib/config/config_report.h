// The effective settings of every profile as text, for --check-config: what
// a service would run with after defaults, aliases (tatsu-lab's batch_size,
// hcutoff, author_match), -1 = no limit, profile overrides and the
// environment. Secrets never appear: the API keys (OPENAI_API_KEY, each
// profile's api_key_env) print as set/unset, extra header values
// (OPENAI_EXTRA_HEADERS, extra_headers_env) as their names only, URL
// passwords (OPENAI_BASE_URL, base_url) as "***".
#pragma once

#include <map>
#include <string>

#include "lib/config/config.h"

namespace arxiv_digest {

// One block per profile ("default" first, then the others by name),
// each "[SECTION]" with "key = value" lines in config.ini spelling, then the
// prompt files read, the followed authors, the environment and the startup
// warnings. Ends with a newline.
std::string EffectiveSettingsReport(
    const std::map<std::string, Config>& profiles);

}  // namespace arxiv_digest
