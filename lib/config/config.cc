#include "lib/config/config.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "lib/text/redact.h"

namespace arxiv_digest {
namespace {

std::string Trim(absl::string_view s) {
  return std::string(absl::StripAsciiWhitespace(s));
}

// Reads a whole file; NotFound names the path.
absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// (section, key) pairs some reader asked for, the known keys, with how the
// parser uses each (AcceptedConfigKeys). Whatever else config.ini holds is
// warned about.
using KnownKeys = std::map<ConfigKey, ConfigKeyUse>;

// Accessors that name the setting in every error, e.g. "[SELECTION] model".
class SectionReader {
 public:
  SectionReader(const IniFile& ini, std::string section, KnownKeys& known)
      : section_(std::move(section)), known_(&known) {
    auto it = ini.find(section_);
    if (it != ini.end()) values_ = &it->second;
  }

  // The same section, its keys recorded as `use` rather than kSetting.
  SectionReader As(ConfigKeyUse use) const {
    SectionReader reader = *this;
    reader.use_ = use;
    return reader;
  }

  const std::string* Find(const std::string& key) const {
    known_->emplace(ConfigKey(section_, key), use_);
    if (values_ == nullptr) return nullptr;
    auto it = values_->find(key);
    return it == values_->end() ? nullptr : &it->second;
  }

  std::string Name(const std::string& key) const {
    return absl::StrCat("[", section_, "] ", key);
  }

  absl::Status String(const std::string& key, std::string& out) const {
    if (const std::string* v = Find(key)) out = *v;
    return absl::OkStatus();
  }

  absl::Status Int(const std::string& key, int& out, int min_value) const {
    const std::string* v = Find(key);
    if (v == nullptr) return absl::OkStatus();
    int parsed = 0;
    if (!absl::SimpleAtoi(*v, &parsed)) {
      return absl::InvalidArgumentError(
          absl::StrCat(Name(key), ": '", *v, "' is not an integer"));
    }
    if (parsed < min_value) {
      return absl::InvalidArgumentError(absl::StrCat(
          Name(key), ": ", parsed, " is below the minimum ", min_value));
    }
    out = parsed;
    return absl::OkStatus();
  }

  // A rate limit: 0 or -1 (the seed tool's spelling) = no limit; other
  // negative values are refused.
  absl::Status Limit(const std::string& key, int& out) const {
    const std::string* v = Find(key);
    if (v == nullptr) return absl::OkStatus();
    int parsed = 0;
    if (!absl::SimpleAtoi(*v, &parsed)) {
      return absl::InvalidArgumentError(
          absl::StrCat(Name(key), ": '", *v, "' is not an integer"));
    }
    if (parsed < -1) {
      return absl::InvalidArgumentError(
          absl::StrCat(Name(key), ": ", parsed,
                       " is below the minimum 0 (0 or -1 = no limit)"));
    }
    out = parsed == -1 ? 0 : parsed;
    return absl::OkStatus();
  }

  absl::Status Double(const std::string& key, double& out) const {
    const std::string* v = Find(key);
    if (v == nullptr) return absl::OkStatus();
    double parsed = 0;
    // SimpleAtod accepts "nan", "inf" and overflows to inf; none is a
    // usable setting, and NaN would slip through every range check.
    if (!absl::SimpleAtod(*v, &parsed) || !std::isfinite(parsed)) {
      return absl::InvalidArgumentError(
          absl::StrCat(Name(key), ": '", *v, "' is not a finite number"));
    }
    out = parsed;
    return absl::OkStatus();
  }

  // Python configparser's getboolean vocabulary.
  absl::Status Bool(const std::string& key, bool& out) const {
    const std::string* v = Find(key);
    if (v == nullptr) return absl::OkStatus();
    std::string lower = absl::AsciiStrToLower(*v);
    if (lower == "1" || lower == "yes" || lower == "true" || lower == "on") {
      out = true;
    } else if (lower == "0" || lower == "no" || lower == "false" ||
               lower == "off") {
      out = false;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(Name(key), ": '", *v, "' is not a boolean"));
    }
    return absl::OkStatus();
  }

  absl::Status List(const std::string& key,
                    std::vector<std::string>& out) const {
    const std::string* v = Find(key);
    if (v == nullptr) return absl::OkStatus();
    std::vector<std::string> items;
    for (absl::string_view part : absl::StrSplit(*v, ',')) {
      std::string item = Trim(part);
      if (!item.empty()) items.push_back(item);
    }
    out = std::move(items);
    return absl::OkStatus();
  }

 private:
  std::string section_;
  KnownKeys* known_;
  ConfigKeyUse use_ = ConfigKeyUse::kSetting;
  const std::map<std::string, std::string>* values_ = nullptr;
};

// Sections of later versions of DaizeDong's tool for features this project
// does not have: one warning per section rather than one per key.
constexpr const char* kUnsupportedSeedSections[] = {
    "MONTHLY_SUMMARY", "HOTSPOTS", "HOTSPOT_SOURCES", "HOTSPOT_GITHUB",
    "HOTSPOT_HN"};

std::vector<std::string> UnknownKeyWarnings(const IniFile& ini,
                                            const KnownKeys& known) {
  std::vector<std::string> warnings;
  for (const auto& [section, values] : ini) {
    bool unsupported = false;
    for (const char* name : kUnsupportedSeedSections) {
      unsupported = unsupported || section == name;
    }
    if (unsupported) {
      warnings.push_back(
          absl::StrCat("[", section,
                       "]: a feature of the Python tool this project does "
                       "not have; its ",
                       values.size(), " settings are ignored"));
      continue;
    }
    for (const auto& [key, value] : values) {
      if (known.count({section, key}) == 0) {
        warnings.push_back(absl::StrCat("[", section, "] ", key,
                                        ": unknown setting, ignored"));
      }
    }
  }
  return warnings;
}

std::string StripTrailingNewlines(std::string value) {
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) {
    value.pop_back();
  }
  return value;
}

bool IsHttpUrl(const std::string& url) {
  return absl::StartsWith(url, "http://") || absl::StartsWith(url, "https://");
}

// [A-Za-z_][A-Za-z0-9_]*: what a shell or Kubernetes env entry can set. A
// key pasted into api_key_env by mistake fails this (and is not echoed
// back in full: keys contain '-').
bool IsEnvVarName(const std::string& name) {
  if (name.empty() || absl::ascii_isdigit(name[0])) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_') return false;
  }
  return true;
}

#define DIGEST_RETURN_IF_ERROR(expr)   \
  do {                                 \
    absl::Status status_ = (expr);     \
    if (!status_.ok()) return status_; \
  } while (0)

}  // namespace

absl::StatusOr<IniFile> ParseIni(const std::string& text) {
  IniFile ini;
  std::string section;
  int line_no = 0;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++line_no;
    std::string line = Trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') {
        return absl::InvalidArgumentError(absl::StrCat(
            "config.ini line ", line_no, ": unterminated section"));
      }
      section = Trim(line.substr(1, line.size() - 2));
      ini[section];
      continue;
    }
    size_t eq = line.find_first_of("=:");
    if (eq == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("config.ini line ", line_no,
                       ": expected 'key = value', got '", line, "'"));
    }
    if (section.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "config.ini line ", line_no, ": setting outside of a [SECTION]"));
    }
    std::string key = absl::AsciiStrToLower(Trim(line.substr(0, eq)));
    std::string value = Trim(line.substr(eq + 1));
    // Inline comments as configparser allows them (" ; ..." / " # ...").
    for (const char* marker : {" ;", " #"}) {
      size_t c = value.find(marker);
      if (c != std::string::npos) value = Trim(value.substr(0, c));
    }
    ini[section][key] = value;
  }
  return ini;
}

std::vector<FollowedAuthor> ParseAuthors(const std::string& text) {
  std::vector<FollowedAuthor> authors;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    std::string line = Trim(raw);
    if (line.empty() || line[0] == '#') continue;
    FollowedAuthor author;
    size_t comma = line.rfind(',');
    if (comma == std::string::npos) {
      author.name = line;
    } else {
      author.name = Trim(line.substr(0, comma));
      author.id = Trim(line.substr(comma + 1));
    }
    if (!author.name.empty()) authors.push_back(std::move(author));
  }
  return authors;
}

namespace {

// ConfigFromIni's reads and checks; `known` collects every key read.
absl::StatusOr<Config> ReadConfig(const IniFile& ini, KnownKeys& known) {
  Config config;
  SectionReader selection(ini, "SELECTION", known);
  DIGEST_RETURN_IF_ERROR(selection.String("model", config.selection.model));
  // tatsu-lab's name first, so abstract_batch_size wins when both are set.
  DIGEST_RETURN_IF_ERROR(
      selection.As(ConfigKeyUse::kAlias)
          .Int("batch_size", config.selection.abstract_batch_size, 1));
  DIGEST_RETURN_IF_ERROR(selection.Int(
      "abstract_batch_size", config.selection.abstract_batch_size, 1));
  DIGEST_RETURN_IF_ERROR(
      selection.Int("abstract_retry", config.selection.abstract_retry, 0));
  DIGEST_RETURN_IF_ERROR(
      selection.Limit("limit_per_minute", config.selection.limit_per_minute));
  // tatsu-lab keeps the switch in [FILTERING] as author_match.
  SectionReader filtering(ini, "FILTERING", known);
  DIGEST_RETURN_IF_ERROR(
      filtering.As(ConfigKeyUse::kAlias)
          .Bool("author_match", config.selection.run_author_match));
  DIGEST_RETURN_IF_ERROR(
      selection.Bool("run_author_match", config.selection.run_author_match));
  DIGEST_RETURN_IF_ERROR(selection.Double("author_match_score",
                                          config.selection.author_match_score));
  DIGEST_RETURN_IF_ERROR(
      selection.Int("max_in_flight", config.selection.max_in_flight, 1));
  DIGEST_RETURN_IF_ERROR(
      selection.Limit("tokens_per_minute", config.selection.tokens_per_minute));
  DIGEST_RETURN_IF_ERROR(
      selection.Int("max_tokens", config.selection.max_tokens, 0));
  DIGEST_RETURN_IF_ERROR(
      selection.Bool("json_mode", config.selection.json_mode));
  DIGEST_RETURN_IF_ERROR(
      selection.Bool("send_temperature", config.selection.send_temperature));
  DIGEST_RETURN_IF_ERROR(selection.Bool(
      "cache_friendly_prompt", config.selection.cache_friendly_prompt));
  DIGEST_RETURN_IF_ERROR(selection.Int(
      "score_cache_ttl_days", config.selection.score_cache_ttl_days, 0));
  DIGEST_RETURN_IF_ERROR(selection.Double(
      "prefilter_keep_share", config.selection.prefilter_keep_share));
  DIGEST_RETURN_IF_ERROR(
      selection.Int("max_reply_bytes", config.selection.max_reply_bytes, 1));
  DIGEST_RETURN_IF_ERROR(selection.Int(
      "llm_timeout_seconds", config.selection.llm_timeout_seconds, 1));
  DIGEST_RETURN_IF_ERROR(
      selection.Bool("run_openai", config.selection.run_openai));
  DIGEST_RETURN_IF_ERROR(
      selection.Bool("run_title_filter", config.selection.run_title_filter));
  DIGEST_RETURN_IF_ERROR(
      selection.Int("title_batch_size", config.selection.title_batch_size, 1));
  DIGEST_RETURN_IF_ERROR(
      selection.Int("title_retry", config.selection.title_retry, 0));
  DIGEST_RETURN_IF_ERROR(selection.Bool("run_abstract_filter",
                                        config.selection.run_abstract_filter));
  DIGEST_RETURN_IF_ERROR(selection.Bool("adaptive_batch_size",
                                        config.selection.adaptive_batch_size));
  DIGEST_RETURN_IF_ERROR(selection.Int("adaptive_threshold",
                                       config.selection.adaptive_threshold, 1));
  DIGEST_RETURN_IF_ERROR(
      selection.String("base_url", config.selection.base_url));
  if (!config.selection.base_url.empty() &&
      !IsHttpUrl(config.selection.base_url)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "[SELECTION] base_url: '", RedactUrlPassword(config.selection.base_url),
        "' is not an http(s):// URL"));
  }
  for (const auto& [key, name] :
       {std::pair<const char*, std::string*>{"api_key_env",
                                             &config.selection.api_key_env},
        {"extra_headers_env", &config.selection.extra_headers_env}}) {
    DIGEST_RETURN_IF_ERROR(selection.String(key, *name));
    if (!IsEnvVarName(*name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("[SELECTION] ", key, ": '", *name,
                       "' is not an environment variable name (the key "
                       "itself belongs in the environment, not here)"));
    }
  }
  if (config.selection.prefilter_keep_share < 0 ||
      config.selection.prefilter_keep_share > 1) {
    return absl::InvalidArgumentError(
        "[SELECTION] prefilter_keep_share: must be between 0 and 1");
  }
  if (config.selection.model.empty()) {
    return absl::InvalidArgumentError("[SELECTION] model: must not be empty");
  }

  DIGEST_RETURN_IF_ERROR(
      filtering.List("arxiv_category", config.filtering.arxiv_categories));
  DIGEST_RETURN_IF_ERROR(
      filtering.List("announce_type", config.filtering.announce_types));
  DIGEST_RETURN_IF_ERROR(
      filtering.Bool("force_primary", config.filtering.force_primary));
  DIGEST_RETURN_IF_ERROR(
      filtering.Int("relevance_cutoff", config.filtering.relevance_cutoff, 0));
  DIGEST_RETURN_IF_ERROR(
      filtering.Int("novelty_cutoff", config.filtering.novelty_cutoff, 0));
  // tatsu-lab's hcutoff first, so h_cutoff wins when both are set.
  DIGEST_RETURN_IF_ERROR(filtering.As(ConfigKeyUse::kAlias)
                             .Int("hcutoff", config.filtering.h_cutoff, 0));
  DIGEST_RETURN_IF_ERROR(
      filtering.Int("h_cutoff", config.filtering.h_cutoff, 0));
  // tatsu-lab averages num_samples completions per batch; one call per
  // batch is all this scorer does, so anything else would silently change
  // the scores the user expects.
  int num_samples = 1;
  DIGEST_RETURN_IF_ERROR(
      filtering.As(ConfigKeyUse::kNoEffect).Int("num_samples", num_samples, 1));
  if (num_samples != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("[FILTERING] num_samples: ", num_samples,
                     " is not supported (only 1: one completion per batch)"));
  }
  if (config.filtering.arxiv_categories.empty()) {
    return absl::InvalidArgumentError(
        "[FILTERING] arxiv_category: at least one category is required");
  }
  static const char* kKnownTypes[] = {"new", "cross", "replace",
                                      "replace-cross"};
  for (const std::string& type : config.filtering.announce_types) {
    bool known = false;
    for (const char* k : kKnownTypes) known = known || type == k;
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat("[FILTERING] announce_type: unknown type '", type,
                       "' (expected new, cross, replace, replace-cross)"));
    }
  }

  SectionReader fetcher(ini, "FETCHER", known);
  DIGEST_RETURN_IF_ERROR(
      fetcher.Int("seen_ttl_days", config.fetcher.seen_ttl_days, 1));
  DIGEST_RETURN_IF_ERROR(fetcher.String("contact", config.fetcher.contact));
  DIGEST_RETURN_IF_ERROR(fetcher.Int(
      "min_request_interval_ms", config.fetcher.min_request_interval_ms, 0));
  DIGEST_RETURN_IF_ERROR(
      fetcher.Int("max_retries", config.fetcher.max_retries, 0));
  DIGEST_RETURN_IF_ERROR(fetcher.Int(
      "request_timeout_seconds", config.fetcher.request_timeout_seconds, 1));
  DIGEST_RETURN_IF_ERROR(
      fetcher.Int("lock_ttl_seconds", config.fetcher.lock_ttl_seconds, 1));
  DIGEST_RETURN_IF_ERROR(
      fetcher.Bool("backfill_missing", config.fetcher.backfill_missing));
  DIGEST_RETURN_IF_ERROR(
      fetcher.Int("backfill_max_days", config.fetcher.backfill_max_days, 0));
  DIGEST_RETURN_IF_ERROR(fetcher.Int("backfill_lookback_days",
                                     config.fetcher.backfill_lookback_days, 1));
  // A contact ends up in an HTTP header: no line breaks or control bytes.
  for (char c : config.fetcher.contact) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError(
          "[FETCHER] contact: must not contain control characters");
    }
  }

  SectionReader retention(ini, "RETENTION", known);
  DIGEST_RETURN_IF_ERROR(
      retention.Int("run_days", config.retention.run_days, 1));
  DIGEST_RETURN_IF_ERROR(
      retention.Int("digest_days", config.retention.digest_days, 1));

  SectionReader delivery(ini, "DELIVERY", known);
  DIGEST_RETURN_IF_ERROR(
      delivery.String("slack_webhook_env", config.delivery.slack_webhook_env));
  DIGEST_RETURN_IF_ERROR(
      delivery.Int("slack_top_papers", config.delivery.slack_top_papers, 1));
  DIGEST_RETURN_IF_ERROR(
      delivery.String("smtp_host", config.delivery.smtp_host));
  DIGEST_RETURN_IF_ERROR(
      delivery.Int("smtp_port", config.delivery.smtp_port, 1));
  DIGEST_RETURN_IF_ERROR(
      delivery.String("smtp_from", config.delivery.smtp_from));
  DIGEST_RETURN_IF_ERROR(delivery.List("smtp_to", config.delivery.smtp_to));
  DIGEST_RETURN_IF_ERROR(
      delivery.String("digest_base_url", config.delivery.digest_base_url));
  DIGEST_RETURN_IF_ERROR(
      delivery.String("slack_token_env", config.delivery.slack_token_env));
  DIGEST_RETURN_IF_ERROR(
      delivery.String("slack_channel_env", config.delivery.slack_channel_env));
  DIGEST_RETURN_IF_ERROR(
      delivery.String("smtp_security", config.delivery.smtp_security));
  DIGEST_RETURN_IF_ERROR(
      delivery.String("smtp_user_env", config.delivery.smtp_user_env));
  DIGEST_RETURN_IF_ERROR(
      delivery.String("smtp_password_env", config.delivery.smtp_password_env));
  DIGEST_RETURN_IF_ERROR(
      delivery.Bool("notify_empty", config.delivery.notify_empty));
  if (config.delivery.smtp_security != "starttls" &&
      config.delivery.smtp_security != "tls" &&
      config.delivery.smtp_security != "none") {
    return absl::InvalidArgumentError(absl::StrCat(
        "[DELIVERY] smtp_security: '", config.delivery.smtp_security,
        "' (expected starttls, tls or none)"));
  }
  if (!config.delivery.smtp_host.empty() &&
      (config.delivery.smtp_from.empty() || config.delivery.smtp_to.empty())) {
    return absl::InvalidArgumentError(
        "[DELIVERY] smtp_from and smtp_to are required with smtp_host");
  }

  SectionReader output(ini, "OUTPUT", known);
  DIGEST_RETURN_IF_ERROR(
      output.String("output_path", config.output.output_path));
  DIGEST_RETURN_IF_ERROR(output.Bool("dump_json", config.output.dump_json));
  DIGEST_RETURN_IF_ERROR(output.Bool("dump_md", config.output.dump_md));
  DIGEST_RETURN_IF_ERROR(
      output.Bool("push_to_slack", config.output.push_to_slack));
  DIGEST_RETURN_IF_ERROR(output.String("layout", config.output.layout));
  // The Python tools' debugging switches: accepted so their folders load;
  // here LOG_LEVEL=debug gives the detail and nothing dumps debug files.
  for (const char* key : {"debug_messages", "dump_debug_file"}) {
    bool on = false;
    DIGEST_RETURN_IF_ERROR(output.As(ConfigKeyUse::kNoEffect).Bool(key, on));
    if (on) {
      config.warnings.push_back(absl::StrCat(
          "[OUTPUT] ", key,
          ": accepted but has no effect here (use LOG_LEVEL=debug)"));
    }
  }
  if (config.output.layout != "default" && config.output.layout != "seed") {
    return absl::InvalidArgumentError(
        absl::StrCat("[OUTPUT] layout: '", config.output.layout,
                     "' (expected default or seed)"));
  }
  for (std::string& w : UnknownKeyWarnings(ini, known)) {
    config.warnings.push_back(std::move(w));
  }
  return config;
}

}  // namespace

absl::StatusOr<Config> ConfigFromIni(const IniFile& ini) {
  KnownKeys known;
  return ReadConfig(ini, known);
}

absl::StatusOr<std::map<ConfigKey, ConfigKeyUse>> AcceptedConfigKeys() {
  // The only required setting; with it the parse reaches every read.
  const IniFile minimal = {{"FILTERING", {{"arxiv_category", "cs.LG"}}}};
  KnownKeys known;
  if (absl::StatusOr<Config> config = ReadConfig(minimal, known);
      !config.ok()) {
    return absl::InternalError(absl::StrCat(
        "the default config fails validation, so not every key was read: ",
        config.status().message()));
  }
  return known;
}

void ApplyPromptLayout(const IniFile& ini, Config& config) {
  config.prompts.layout = config.prompts.score_criteria.empty()
                              ? PromptLayout::kTatsu
                              : PromptLayout::kReference;
  if (config.prompts.layout != PromptLayout::kTatsu ||
      !config.selection.cache_friendly_prompt) {
    return;
  }
  config.selection.cache_friendly_prompt = false;
  auto section = ini.find("SELECTION");
  if (section != ini.end() &&
      section->second.count("cache_friendly_prompt") != 0) {
    config.warnings.emplace_back(
        "[SELECTION] cache_friendly_prompt: ignored without "
        "score_criteria.txt (the tatsu-lab layout already sends the static "
        "parts first)");
  }
}

std::string GetEnvOrEmpty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
ParseExtraHeaders(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (absl::string_view item : absl::StrSplit(text, ';')) {
    std::string header = Trim(item);
    if (header.empty()) continue;
    size_t colon = header.find(':');
    if (colon == std::string::npos || colon == 0) {
      return absl::InvalidArgumentError(
          "expected 'Name: value' items separated by ';'");
    }
    headers.emplace_back(Trim(header.substr(0, colon)),
                         Trim(header.substr(colon + 1)));
  }
  return headers;
}

absl::Status ResolveLlmProvider(EnvLookup lookup, Config& config) {
  const SelectionConfig& s = config.selection;
  LlmProviderConfig llm;
  llm.base_url = s.base_url.empty() ? config.env.openai_base_url : s.base_url;
  llm.api_key = lookup(s.api_key_env.c_str());
  if (s.extra_headers_env == "OPENAI_EXTRA_HEADERS") {
    llm.extra_headers = config.env.openai_extra_headers;  // checked already
  } else {
    absl::StatusOr<std::vector<std::pair<std::string, std::string>>> headers =
        ParseExtraHeaders(lookup(s.extra_headers_env.c_str()));
    if (!headers.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("[SELECTION] extra_headers_env: ", s.extra_headers_env,
                       ": ", headers.status().message()));
    }
    llm.extra_headers = *std::move(headers);
  }
  config.llm = std::move(llm);
  return absl::OkStatus();
}

absl::Status ApplyEnvironment(EnvLookup lookup, EnvironmentConfig& env) {
  env.openai_api_key = lookup("OPENAI_API_KEY");
  if (std::string v = lookup("OPENAI_BASE_URL"); !v.empty()) {
    env.openai_base_url = v;
  }
  if (std::string v = lookup("REDIS_URL"); !v.empty()) env.redis_url = v;
  if (std::string v = lookup("REDIS_KEY_PREFIX"); !v.empty()) {
    env.redis_key_prefix = v;
  }
  if (std::string v = lookup("ARXIV_RSS_URL"); !v.empty()) {
    env.arxiv_rss_url = v;
  }
  if (std::string v = lookup("ARXIV_API_URL"); !v.empty()) {
    env.arxiv_api_url = v;
  }
  if (std::string v = lookup("ARXIV_OAI_URL"); !v.empty()) {
    env.arxiv_oai_url = v;
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> headers =
      ParseExtraHeaders(lookup("OPENAI_EXTRA_HEADERS"));
  if (!headers.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("OPENAI_EXTRA_HEADERS: ", headers.status().message()));
  }
  env.openai_extra_headers = *std::move(headers);
  auto starts_with = [](const std::string& s, std::string_view p) {
    return s.compare(0, p.size(), p) == 0;
  };
  if (!starts_with(env.openai_base_url, "http://") &&
      !starts_with(env.openai_base_url, "https://")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "OPENAI_BASE_URL: '", RedactUrlPassword(env.openai_base_url),
        "' is not an http(s) URL"));
  }
  if (starts_with(env.redis_url, "rediss://")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "REDIS_URL: '", RedactUrlPassword(env.redis_url),
        "' asks for TLS (rediss://), which this build's Redis client (hiredis "
        "0.14) cannot speak: run stunnel next to the service (client = yes, "
        "accept = 127.0.0.1:6380, connect = <redis host>:<TLS port>) and set "
        "REDIS_URL=redis://[user:password@]127.0.0.1:6380 (deploy/README.md, "
        "'Redis over TLS')"));
  }
  if (!starts_with(env.redis_url, "redis://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("REDIS_URL: '", RedactUrlPassword(env.redis_url),
                     "' is not a redis:// URL"));
  }
  if (!starts_with(env.arxiv_rss_url, "http://") &&
      !starts_with(env.arxiv_rss_url, "https://") &&
      !starts_with(env.arxiv_rss_url, "file://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("ARXIV_RSS_URL: '", env.arxiv_rss_url,
                     "' is not an http(s):// or file:// URL"));
  }
  for (const auto& [name, url] : {std::pair<const char*, const std::string*>{
                                      "ARXIV_API_URL", &env.arxiv_api_url},
                                  {"ARXIV_OAI_URL", &env.arxiv_oai_url}}) {
    if (!starts_with(*url, "http://") && !starts_with(*url, "https://")) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": '", *url, "' is not an http(s):// URL"));
    }
  }
  return absl::OkStatus();
}

void ReadPromptFiles(const std::string& dir, bool sibling_prompts,
                     Config& config) {
  struct Piece {
    const char* piece;
    const char* alias;  // DaizeDong's file name, or nullptr
    std::string* target;
  };
  const Piece pieces[] = {
      {"base_prompt", nullptr, &config.prompts.base},
      {"postfix_prompt", "postfix_prompt_abstract", &config.prompts.postfix},
      {"score_criteria", nullptr, &config.prompts.score_criteria},
      {"paper_topics", nullptr, &config.prompts.topics},
      {"postfix_prompt_title", nullptr, &config.prompts.title_postfix}};
  std::string base = dir.empty() ? "./" : dir;
  if (base.back() != '/') base += '/';
  std::vector<std::string> folders = {base};
  if (sibling_prompts) folders.push_back(base + "../prompts/");
  for (const Piece& p : pieces) {
    bool found = false;
    for (const std::string& folder : folders) {
      for (const char* name : {p.piece, p.alias}) {
        if (found || name == nullptr) continue;
        std::string path = absl::StrCat(folder, name, ".txt");
        absl::StatusOr<std::string> text = ReadFile(path);
        if (!text.ok()) continue;
        *p.target = StripTrailingNewlines(*std::move(text));
        config.prompt_paths[p.piece] =
            std::filesystem::path(path).lexically_normal().string();
        found = true;
      }
    }
  }
}

absl::StatusOr<Config> LoadConfig(const std::string& config_dir) {
  std::string dir = config_dir.empty() ? "configs" : config_dir;
  if (dir.back() != '/') dir += '/';
  absl::StatusOr<std::string> ini_text = ReadFile(dir + "config.ini");
  if (!ini_text.ok()) return ini_text.status();
  absl::StatusOr<IniFile> ini = ParseIni(*ini_text);
  if (!ini.ok()) return ini.status();
  absl::StatusOr<Config> config = ConfigFromIni(*ini);
  if (!config.ok()) return config.status();

  // The prompt pieces keep their text verbatim but for trailing newlines, so
  // joining them with blank lines reproduces the reference layout.
  ReadPromptFiles(dir, /*sibling_prompts=*/true, *config);
  for (const char* piece : {"base_prompt", "postfix_prompt", "paper_topics"}) {
    if (config->prompt_paths.count(piece) == 0) {
      return absl::NotFoundError(absl::StrCat(
          "cannot read ", dir, piece, ".txt (nor ", dir, "../prompts/", piece,
          std::string_view(piece) == "postfix_prompt"
              ? ".txt, postfix_prompt_abstract.txt"
              : ".txt",
          ")"));
    }
  }
  ApplyPromptLayout(*ini, *config);
  if (config->selection.run_title_filter &&
      config->prompts.title_postfix.empty()) {
    return absl::InvalidArgumentError(
        "[SELECTION] run_title_filter: needs postfix_prompt_title.txt");
  }
  if (absl::StatusOr<std::string> authors = ReadFile(dir + "authors.txt");
      authors.ok()) {
    config->authors = ParseAuthors(*authors);
  }
  if (absl::Status s = ApplyEnvironment(&GetEnvOrEmpty, config->env); !s.ok()) {
    return s;
  }
  if (absl::Status s = ResolveLlmProvider(&GetEnvOrEmpty, *config); !s.ok()) {
    return s;
  }
  config->config_dir = config_dir;
  return config;
}

}  // namespace arxiv_digest
