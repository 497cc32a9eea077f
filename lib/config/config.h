// Configuration compatible with the Python tool's configs/ folder:
// config.ini, paper_topics.txt, authors.txt, base_prompt.txt,
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
};

struct FilteringConfig {
  std::vector<std::string> arxiv_categories;  // "cs.LG" or "cs.CL+cs.LG"
  std::vector<std::string> announce_types = {"new", "cross"};
  bool force_primary = true;
  int relevance_cutoff = 0;
  int novelty_cutoff = 0;
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
};

struct OutputConfig {
  std::string output_path = "out/";
  bool dump_json = true;
  bool dump_md = true;
  bool push_to_slack = false;
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
};

// The prompt pieces, verbatim file contents without the final newline.
struct PromptTexts {
  std::string base;            // base_prompt.txt
  std::string postfix;         // postfix_prompt.txt (## Instructions ...)
  std::string score_criteria;  // score_criteria.txt (## Scoring Criteria ...)
  std::string topics;          // paper_topics.txt (## Relevant Topics ...)
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

struct Config {
  SelectionConfig selection;
  FilteringConfig filtering;
  FetcherConfig fetcher;
  OutputConfig output;
  DeliveryConfig delivery;
  PromptTexts prompts;
  std::vector<FollowedAuthor> authors;
  EnvironmentConfig env;
  std::string config_dir;
  std::string profile = "default";  // see lib/config/profiles.h
};

// Parsed INI: section -> key -> value (keys lower-cased, values trimmed).
using IniFile = std::map<std::string, std::map<std::string, std::string>>;

// Parses INI text (';' and '#' comments, [SECTION] headers, key = value).
absl::StatusOr<IniFile> ParseIni(const std::string& text);

// Parses authors.txt: "Name, id" per line, '#' comments, blank lines skipped.
std::vector<FollowedAuthor> ParseAuthors(const std::string& text);

// Builds a Config from already-read file contents; errors name the setting,
// e.g. "[SELECTION] abstract_batch_size: 'abc' is not an integer".
absl::StatusOr<Config> ConfigFromIni(const IniFile& ini);

// Applies OPENAI_API_KEY, OPENAI_BASE_URL, REDIS_URL, ARXIV_RSS_URL,
// ARXIV_API_URL, ARXIV_OAI_URL from a
// lookup function (getenv in services, a map in tests).
using EnvLookup = std::string (*)(const char* name);
absl::Status ApplyEnvironment(EnvLookup lookup, EnvironmentConfig& env);
std::string GetEnvOrEmpty(const char* name);

// Reads configs/ from disk: config.ini (required) and the text files
// (required: base_prompt.txt, postfix_prompt.txt, score_criteria.txt,
// paper_topics.txt; optional: authors.txt), then the environment.
absl::StatusOr<Config> LoadConfig(const std::string& config_dir);

}  // namespace arxiv_digest
