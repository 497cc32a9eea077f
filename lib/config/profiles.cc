#include "lib/config/profiles.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "lib/core/ids.h"

namespace arxiv_digest {
namespace {

std::optional<std::string> ReadIfExists(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string StripTrailingNewlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

absl::StatusOr<Config> LoadProfile(const Config& base, const IniFile& base_ini,
                                   const std::filesystem::path& dir,
                                   const std::string& name) {
  IniFile merged = base_ini;
  if (std::optional<std::string> text = ReadIfExists(dir / "config.ini")) {
    absl::StatusOr<IniFile> own = ParseIni(*text);
    if (!own.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("profile ", name, ": ", own.status().message()));
    }
    for (const auto& [section, values] : *own) {
      for (const auto& [key, value] : values) merged[section][key] = value;
    }
  }
  absl::StatusOr<Config> config = ConfigFromIni(merged);
  if (!config.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("profile ", name, ": ", config.status().message()));
  }
  config->prompts = base.prompts;
  config->prompt_paths = base.prompt_paths;
  config->authors = base.authors;
  config->env = base.env;
  // The profile's own provider ([SELECTION] base_url, api_key_env,
  // extra_headers_env; inherited from configs/config.ini when not set).
  if (absl::Status s = ResolveLlmProvider(&GetEnvOrEmpty, *config); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("profile ", name, ": ", s.message()));
  }
  // A profile folder holds only our (or DaizeDong's) file names; no sibling
  // prompts/ folder, which would be the profiles/ folder's neighbour.
  ReadPromptFiles(dir.string(), /*sibling_prompts=*/false, *config);
  ApplyPromptLayout(merged, *config);
  // As LoadConfig's check for the default: a profile's own or inherited
  // instruction, else its title prompts would end with nothing.
  if (config->selection.run_title_filter &&
      config->prompts.title_postfix.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("profile ", name,
                     ": [SELECTION] run_title_filter: needs "
                     "postfix_prompt_title.txt"));
  }
  // The default profile's warnings are reported once, with the default.
  std::vector<std::string> own_warnings;
  for (std::string& w : config->warnings) {
    if (std::find(base.warnings.begin(), base.warnings.end(), w) ==
        base.warnings.end()) {
      own_warnings.push_back(absl::StrCat("profile ", name, ": ", w));
    }
  }
  // Per scorer replica, not per reader: the default profile's value runs.
  if (config->selection.max_in_flight != base.selection.max_in_flight) {
    own_warnings.push_back(absl::StrCat(
        "profile ", name,
        ": [SELECTION] max_in_flight: per scorer replica, not per profile; "
        "the default profile's ",
        base.selection.max_in_flight, " applies"));
  }
  config->warnings = std::move(own_warnings);
  if (std::optional<std::string> authors = ReadIfExists(dir / "authors.txt")) {
    config->authors = ParseAuthors(*authors);
  }
  config->config_dir = dir.string();
  config->profile = name;
  return config;
}

}  // namespace

bool IsValidProfileName(std::string_view name) {
  return ids::IsValidProfileName(name);
}

std::vector<std::string> ListProfileNames(const std::string& config_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::path(config_dir) / "profiles";
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (it->is_directory(ec) && IsValidProfileName(name) &&
        name != kDefaultProfile) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  names.insert(names.begin(), kDefaultProfile);
  return names;
}

absl::StatusOr<std::map<std::string, Config>> LoadProfiles(
    const std::string& config_dir) {
  std::string dir = config_dir.empty() ? "configs" : config_dir;
  absl::StatusOr<Config> base = LoadConfig(dir);
  if (!base.ok()) return base.status();
  std::optional<std::string> ini_text =
      ReadIfExists(std::filesystem::path(dir) / "config.ini");
  absl::StatusOr<IniFile> base_ini = ParseIni(ini_text.value_or(""));
  if (!base_ini.ok()) return base_ini.status();

  std::map<std::string, Config> profiles;
  profiles[kDefaultProfile] = *base;
  std::filesystem::path root = std::filesystem::path(dir) / "profiles";
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) return profiles;
  for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
    if (!entry.is_directory()) continue;
    std::string name = entry.path().filename().string();
    if (!IsValidProfileName(name) || name == kDefaultProfile) {
      return absl::InvalidArgumentError(
          absl::StrCat("profiles/", name,
                       ": profile names are [a-z0-9_-] and not 'default'"));
    }
    absl::StatusOr<Config> profile =
        LoadProfile(*base, *base_ini, entry.path(), name);
    if (!profile.ok()) return profile.status();
    profiles[name] = *std::move(profile);
  }
  return profiles;
}

Config WithTopicsOverride(Config config, const std::string& topics_override) {
  if (!topics_override.empty()) {
    config.prompts.topics = StripTrailingNewlines(topics_override);
  }
  return config;
}

}  // namespace arxiv_digest
