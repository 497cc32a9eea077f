// Reader profiles: several readers scored from the same fetched papers.
// The configs/ folder itself is the profile "default"; every folder
// configs/profiles/<name>/ is another profile holding any of config.ini,
// paper_topics.txt, authors.txt, base_prompt.txt, postfix_prompt.txt,
// score_criteria.txt. A profile's config.ini overrides single settings of
// the default one; a missing file falls back to the default's.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/config/config.h"

namespace arxiv_digest {

inline constexpr char kDefaultProfile[] = "default";

// Profile names: [a-z0-9_-]{1,64}, so they are safe in keys, paths and URLs.
// The rule lives in lib/core/ids.h (ProfileName); this delegates to it.
bool IsValidProfileName(std::string_view name);

// "default" first, then the valid folder names under <config_dir>/profiles/
// sorted; folders with invalid names are left out (LoadProfiles rejects
// them). Cheap: reads only the directory.
std::vector<std::string> ListProfileNames(const std::string& config_dir);

// "default" plus every valid folder under <config_dir>/profiles/. Errors
// name the profile and the setting or file.
absl::StatusOr<std::map<std::string, Config>> LoadProfiles(
    const std::string& config_dir);

// The profile's config with the run's topics override applied (a rescore
// with other interests); an empty override changes nothing.
Config WithTopicsOverride(Config config, const std::string& topics_override);

}  // namespace arxiv_digest
