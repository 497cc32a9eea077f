// Configuration compatible with the Python tools' configs/ folders
// (DaizeDong/ChatGPT-ArXiv-Paper-Assistant and tatsu-lab/gpt_paper_assistant,
// unchanged): config.ini, paper_topics.txt, authors.txt, base_prompt.txt,
// score_criteria.txt, postfix_prompt.txt, plus environment overrides.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace arxiv_digest {

// One followed author from authors.txt ("Name, id" lines).
struct FollowedAuthor {
  std::string name;
  std::string id;  // Semantic Scholar author id, may be empty
};

struct SelectionConfig {
  std::string model = "gpt-4o";
  int abstract_batch_size = 5;
  int abstract_retry = 3;
  int limit_per_minute =
      0;  // LLM requests per minute, all replicas; 0 = no limit
  bool run_author_match = false;
  double author_match_score = 20.0;
  // Scaling and provider settings (not in the Python tool).
  int max_in_flight = 4;  // concurrent LLM calls per scorer replica
  int tokens_per_minute =
      0;                   // LLM tokens per minute, all replicas; 0 = no limit
  int max_tokens = 0;      // completion limit sent to the provider; 0 = omit
  bool json_mode = false;  // response_format json_object
  bool send_temperature = true;  // some reasoning models reject temperature
  bool cache_friendly_prompt = true;  // static prompt parts before the papers
  int score_cache_ttl_days =
      30;  // re-runs of unchanged papers are free; 0 = off
  double prefilter_keep_share =
      0;  // >0: only the lexically top share goes to the LLM
  // Hard limits on one LLM call: a larger reply fails as soon as it passes
  // the cap (it is never held in memory), and a call that has not finished
  // within the timeout (connect to last byte, redirects included) fails.
  int max_reply_bytes = 4194304;
  int llm_timeout_seconds = 120;
  // The seed tool's (DaizeDong) selection stages, in its order: followed
  // authors, h-index ([FILTERING] h_cutoff), LLM title pre-filter, LLM
  // abstract scoring. Same key names and meanings as its config.ini.
  bool run_openai = true;  // false = no LLM stage at all
  bool run_title_filter = false;
  int title_batch_size = 8;
  int title_retry = 3;
  bool run_abstract_filter = true;
  // Batch x ceil(log2(N / threshold) + 1) when N > threshold papers.
  bool adaptive_batch_size = false;
  int adaptive_threshold = 32;
  // The LLM provider of this profile. Secrets stay in the environment:
  // config.ini names the variables, never their values.
  std::string base_url;  // empty = OPENAI_BASE_URL
  std::string api_key_env = "OPENAI_API_KEY";
  std::string extra_headers_env = "OPENAI_EXTRA_HEADERS";  // "Name: value; ..."
};

struct FilteringConfig {
  std::vector<std::string> arxiv_categories;  // "cs.LG" or "cs.CL+cs.LG"
  std::vector<std::string> announce_types = {"new", "cross"};
  bool force_primary = true;
  int relevance_cutoff = 0;
  int novelty_cutoff = 0;
  // Drop papers none of whose authors has a Semantic Scholar h-index above
  // this (seed tool's h_cutoff, tatsu's hcutoff); 0 = stage off.
  int h_cutoff = 0;
};

// [RETENTION]: how long Redis keeps per-run data and digests.
struct RetentionConfig {
  int run_days = 30;      // run hashes, per-run paper/score keys
  int digest_days = 365;  // published digests (compact form)
};

// [FETCHER]: how the fetcher treats arXiv (politeness) and what it remembers
// between runs (de-duplication).
struct FetcherConfig {
  int seen_ttl_days = 30;  // how long a delivered paper is remembered
  std::string contact;     // e-mail/URL put in the User-Agent for arXiv
  int min_request_interval_ms = 3000;  // arXiv asks for >= 3 s between calls
  int max_retries = 4;                 // extra attempts after a failed request
  int request_timeout_seconds = 60;
  int lock_ttl_seconds = 600;  // expiry of the one-fetcher-per-day lock
  // Missed announcement days (fetcher down, CronJob skipped): after each
  // daily run, weekdays in the last backfill_lookback_days without a run or
  // digest are fetched through OAI-PMH, at most backfill_max_days a cycle.
  bool backfill_missing = true;
  int backfill_max_days = 5;
  int backfill_lookback_days = 14;
};

struct OutputConfig {
  std::string output_path = "out/";
  bool dump_json = true;
  bool dump_md = true;
  bool push_to_slack = false;
  // "default": out/<profile>/<date>.{md,json,html}; "seed": the Python
  // tool's out/md/YYYY-MM/YYYY-MM-DD-output.md, out/json/... and the latest
  // copies out/output.md / out/output.json.
  std::string layout = "default";
};

// Where published digests go besides files and Redis (per profile).
struct DeliveryConfig {
  // Name of the environment variable holding the Slack incoming-webhook URL
  // (a secret, so never in config.ini); unset or empty = no Slack post.
  std::string slack_webhook_env = "SLACK_WEBHOOK_URL";
  int slack_top_papers = 10;
  std::string smtp_host;  // empty = no e-mail
  int smtp_port = 25;
  std::string smtp_from;
  std::vector<std::string> smtp_to;
  std::string digest_base_url;  // links in messages: <base>/p/<profile>/<date>
  // Slack Web API with a bot token (the Python tool's SLACK_KEY and
  // SLACK_CHANNEL_ID): a header message plus one threaded reply per paper.
  // Names of environment variables; unset or empty = no bot post.
  std::string slack_token_env = "SLACK_KEY";
  std::string slack_channel_env = "SLACK_CHANNEL_ID";
  // SMTP: "starttls" (required upgrade), "tls" (implicit, port 465) or
  // "none" (plain relay on a trusted network).
  std::string smtp_security = "starttls";
  std::string smtp_user_env = "SMTP_USER";          // unset = no AUTH
  std::string smtp_password_env = "SMTP_PASSWORD";  // secret, env only
  // Send a short "no papers today" message when a digest is empty.
  bool notify_empty = false;
};

// How the prompt pieces are put together (lib/prompt/prompt_builder.h).
enum class PromptLayout {
  // DaizeDong's tool (the reference digests): base, instructions, scoring
  // criteria, "## Papers", the papers, topics.
  kReference,
  // tatsu-lab's tool, chosen when there is no score_criteria.txt: base,
  // topics, the papers, instructions (postfix_prompt.txt last).
  kTatsu,
};

// The prompt pieces, verbatim file contents without the final newline.
struct PromptTexts {
  std::string base;            // base_prompt.txt
  std::string postfix;         // postfix_prompt.txt (## Instructions ...)
  std::string score_criteria;  // score_criteria.txt (## Scoring Criteria ...)
  std::string topics;          // paper_topics.txt (## Relevant Topics ...)
  std::string title_postfix;   // postfix_prompt_title.txt (title stage)
  PromptLayout layout = PromptLayout::kReference;
};

// Values that come from the environment rather than configs/.
struct EnvironmentConfig {
  std::string openai_api_key;  // OPENAI_API_KEY (never logged)
  std::string openai_base_url = "https://api.openai.com/v1";  // OPENAI_BASE_URL
  std::string redis_url = "redis://127.0.0.1:6379";           // REDIS_URL
  // Prefix of every Redis key (lib/redis/keys.h), so two deployments can
  // share one Redis.
  std::string redis_key_prefix = "arxiv:";                   // REDIS_KEY_PREFIX
  std::string arxiv_rss_url = "https://rss.arxiv.org/rss/";  // ARXIV_RSS_URL
  // Backfill endpoints: the query API (Atom, id_list) and OAI-PMH.
  std::string arxiv_api_url =
      "https://export.arxiv.org/api/query";                    // ARXIV_API_URL
  std::string arxiv_oai_url = "https://oaipmh.arxiv.org/oai";  // ARXIV_OAI_URL
  // OPENAI_EXTRA_HEADERS="Name: value; Other: value" (e.g. OpenRouter's
  // HTTP-Referer, Azure's api-key); may hold secrets, never logged.
  std::vector<std::pair<std::string, std::string>> openai_extra_headers;
};

// The LLM provider a profile calls, resolved from [SELECTION] base_url,
// api_key_env and extra_headers_env and the environment
// (ResolveLlmProvider).
struct LlmProviderConfig {
  std::string base_url = "https://api.openai.com/v1";
  std::string api_key;  // never logged
  std::vector<std::pair<std::string, std::string>> extra_headers;  // ditto
};

struct Config {
  SelectionConfig selection;
  LlmProviderConfig llm;  // resolved at load; see ResolveLlmProvider
  FilteringConfig filtering;
  FetcherConfig fetcher;
  RetentionConfig retention;
  OutputConfig output;
  DeliveryConfig delivery;
  PromptTexts prompts;
  std::vector<FollowedAuthor> authors;
  EnvironmentConfig env;
  std::string config_dir;
  std::string profile = "default";  // see lib/config/profiles.h
  // Where each prompt piece was read from ("base_prompt" -> path), for
  // --check-config; pieces not found are absent.
  std::map<std::string, std::string> prompt_paths;
  // Startup warnings (unknown keys, accepted keys without effect), each
  // naming the section and key. The loader does not log (lib/log depends on
  // this module); the service startup logs them.
  std::vector<std::string> warnings;
};

// Parsed INI: section -> key -> value (keys lower-cased, values trimmed).
using IniFile = std::map<std::string, std::map<std::string, std::string>>;

// Parses INI text (';' and '#' comments, [SECTION] headers, key = value).
absl::StatusOr<IniFile> ParseIni(const std::string& text);

// Parses authors.txt: "Name, id" per line, '#' comments, blank lines skipped.
std::vector<FollowedAuthor> ParseAuthors(const std::string& text);

// Builds a Config from already-read file contents; errors name the setting,
// e.g. "[SELECTION] abstract_batch_size: 'abc' is not an integer".
// Accepts every key of both Python tools: tatsu's aliases (batch_size,
// hcutoff, [FILTERING] author_match), -1 = no limit for limit_per_minute and
// tokens_per_minute, num_samples (only 1; other values are an error),
// debug_messages and dump_debug_file (no effect; a warning when true). Every
// other unknown key lands in Config::warnings.
absl::StatusOr<Config> ConfigFromIni(const IniFile& ini);

// How ConfigFromIni uses a config.ini key it accepts.
enum class ConfigKeyUse {
  // Sets the Config field of the same name; --check-config prints it.
  kSetting,
  // A Python tool's other name for a setting (tatsu's batch_size, hcutoff,
  // [FILTERING] author_match); printed under the setting's name.
  kAlias,
  // Accepted so the Python tools' folders load, but changes nothing
  // (num_samples, which must be 1; debug_messages, dump_debug_file).
  kNoEffect,
};

// (section, key) as config.ini spells it, e.g. {"SELECTION", "model"}.
using ConfigKey = std::pair<std::string, std::string>;

// Every key ConfigFromIni accepts and how it uses it, recorded by the
// parser's own reads (not a copy of the list), so tests can hold the
// --check-config report and README.md to it. Internal error only if the
// defaults plus one arxiv_category fail validation (the parse would stop
// before reading every key).
absl::StatusOr<std::map<ConfigKey, ConfigKeyUse>> AcceptedConfigKeys();

// Sets prompts.layout from the pieces present (no scoring criteria = tatsu)
// and, for the tatsu layout, turns cache_friendly_prompt off: that layout
// already sends the static parts first, and the cache-friendly builder
// knows only the reference order (a warning if config.ini asked for it).
void ApplyPromptLayout(const IniFile& ini, Config& config);

// Applies OPENAI_API_KEY, OPENAI_BASE_URL, REDIS_URL, ARXIV_RSS_URL,
// ARXIV_API_URL, ARXIV_OAI_URL from a
// lookup function (getenv in services, a map in tests).
using EnvLookup = std::string (*)(const char* name);
absl::Status ApplyEnvironment(EnvLookup lookup, EnvironmentConfig& env);
std::string GetEnvOrEmpty(const char* name);

// Fills config.llm from config.selection (base_url, api_key_env,
// extra_headers_env), config.env (OPENAI_BASE_URL when base_url is empty)
// and `lookup` (the variables named). InvalidArgument naming the setting
// when the headers variable is malformed. An unset key variable is not an
// error here: only an LLM scorer needs the key (services/scorer checks it).
absl::Status ResolveLlmProvider(EnvLookup lookup, Config& config);

// "Name: value; Other: value" (OPENAI_EXTRA_HEADERS' format) as pairs;
// InvalidArgument without the values (they may be secrets).
absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
ParseExtraHeaders(const std::string& text);

// Reads the prompt pieces present in `dir` into config.prompts (verbatim
// but for trailing newlines) and records their paths in prompt_paths; pieces
// not found are left as they are. Looks for <dir>/<name>, then DaizeDong's
// postfix_prompt_abstract.txt for postfix_prompt.txt, then (with
// `sibling_prompts`) the same names in <dir>/../prompts/.
void ReadPromptFiles(const std::string& dir, bool sibling_prompts,
                     Config& config);

// Reads configs/ from disk: config.ini (required) and the text files
// (required: base_prompt.txt, postfix_prompt.txt, paper_topics.txt;
// optional: score_criteria.txt, postfix_prompt_title.txt, authors.txt), then
// the environment. A prompt file missing from the folder is looked for in a
// sibling prompts/ folder (DaizeDong's layout: configs/ + prompts/), and
// postfix_prompt_abstract.txt stands for postfix_prompt.txt.
absl::StatusOr<Config> LoadConfig(const std::string& config_dir);

}  // namespace arxiv_digest
