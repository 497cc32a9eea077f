#include "lib/config/config_report.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "lib/text/redact.h"

namespace arxiv_digest {
namespace {

class Writer {
 public:
  void Section(absl::string_view name) {
    absl::StrAppend(&out_, "[", name, "]\n");
  }
  void Line(absl::string_view key, absl::string_view value) {
    // "key =" for an empty value: no trailing blank.
    absl::StrAppend(&out_, key, value.empty() ? " =" : " = ", value, "\n");
  }
  // Distinct names: a string literal would otherwise pick a bool overload.
  void Int(absl::string_view key, int value) { Line(key, absl::StrCat(value)); }
  void Num(absl::string_view key, double value) {
    Line(key, absl::StrCat(value));
  }
  void Bool(absl::string_view key, bool value) {
    Line(key, value ? "true" : "false");
  }
  // A limit where 0 means none (config.ini also accepts -1 for it).
  void Limit(absl::string_view key, int value) {
    if (value == 0) {
      Line(key, "0 (no limit)");
    } else {
      Int(key, value);
    }
  }
  void List(absl::string_view key, const std::vector<std::string>& values) {
    Line(key, absl::StrJoin(values, ","));
  }
  void Raw(absl::string_view text) { out_.append(text.data(), text.size()); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// The names of environment variables holding secrets are fine to print;
// whether they are set is what an operator checks.
std::string SetOrUnset(const std::string& value) {
  return value.empty() ? "(unset)" : "(set, not shown)";
}

std::string HeaderNames(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<std::string> names;
  names.reserve(headers.size());
  for (const auto& [header, value] : headers) names.push_back(header);
  return names.empty() ? std::string("(none)")
                       : absl::StrCat("(", absl::StrJoin(names, ", "),
                                      "; values not shown)");
}

std::string PromptSummary(const Config& c, const char* piece,
                          const std::string& text) {
  auto it = c.prompt_paths.find(piece);
  if (it == c.prompt_paths.end()) return "(none)";
  return absl::StrCat(it->second, " (", text.size(), " bytes)");
}

void WriteProfile(const std::string& name, const Config& c, Writer& w) {
  w.Raw(absl::StrCat("# profile ", name, " (",
                     c.config_dir.empty() ? "configs" : c.config_dir, ")\n"));
  const SelectionConfig& s = c.selection;
  w.Section("SELECTION");
  w.Line("model", s.model);
  w.Int("abstract_batch_size", s.abstract_batch_size);
  w.Int("abstract_retry", s.abstract_retry);
  w.Limit("limit_per_minute", s.limit_per_minute);
  w.Bool("run_author_match", s.run_author_match);
  w.Num("author_match_score", s.author_match_score);
  w.Bool("run_openai", s.run_openai);
  w.Bool("run_title_filter", s.run_title_filter);
  w.Int("title_batch_size", s.title_batch_size);
  w.Int("title_retry", s.title_retry);
  w.Bool("run_abstract_filter", s.run_abstract_filter);
  w.Bool("adaptive_batch_size", s.adaptive_batch_size);
  w.Int("adaptive_threshold", s.adaptive_threshold);
  w.Int("max_in_flight", s.max_in_flight);
  w.Limit("tokens_per_minute", s.tokens_per_minute);
  w.Int("max_tokens", s.max_tokens);
  w.Bool("json_mode", s.json_mode);
  w.Bool("send_temperature", s.send_temperature);
  w.Bool("cache_friendly_prompt", s.cache_friendly_prompt);
  w.Int("score_cache_ttl_days", s.score_cache_ttl_days);
  w.Num("prefilter_keep_share", s.prefilter_keep_share);
  w.Int("max_reply_bytes", s.max_reply_bytes);
  w.Int("llm_timeout_seconds", s.llm_timeout_seconds);
  // The provider this profile calls, as resolved: the URL (password
  // redacted) and where it came from; the key and header values only as
  // set/unset and names.
  w.Line("base_url",
         absl::StrCat(RedactUrlPassword(c.llm.base_url),
                      s.base_url.empty() ? " (from OPENAI_BASE_URL)" : ""));
  w.Line("api_key_env",
         absl::StrCat(s.api_key_env, " ", SetOrUnset(c.llm.api_key)));
  w.Line("extra_headers_env", absl::StrCat(s.extra_headers_env, " ",
                                           HeaderNames(c.llm.extra_headers)));

  const FilteringConfig& f = c.filtering;
  w.Section("FILTERING");
  w.List("arxiv_category", f.arxiv_categories);
  w.List("announce_type", f.announce_types);
  w.Bool("force_primary", f.force_primary);
  w.Int("h_cutoff", f.h_cutoff);
  w.Int("relevance_cutoff", f.relevance_cutoff);
  w.Int("novelty_cutoff", f.novelty_cutoff);

  const FetcherConfig& fe = c.fetcher;
  w.Section("FETCHER");
  w.Int("seen_ttl_days", fe.seen_ttl_days);
  w.Line("contact", fe.contact);
  w.Int("min_request_interval_ms", fe.min_request_interval_ms);
  w.Int("max_retries", fe.max_retries);
  w.Int("request_timeout_seconds", fe.request_timeout_seconds);
  w.Int("lock_ttl_seconds", fe.lock_ttl_seconds);
  w.Bool("backfill_missing", fe.backfill_missing);
  w.Int("backfill_max_days", fe.backfill_max_days);
  w.Int("backfill_lookback_days", fe.backfill_lookback_days);

  w.Section("RETENTION");
  w.Int("run_days", c.retention.run_days);
  w.Int("digest_days", c.retention.digest_days);

  const OutputConfig& o = c.output;
  w.Section("OUTPUT");
  w.Line("output_path", o.output_path);
  w.Bool("dump_json", o.dump_json);
  w.Bool("dump_md", o.dump_md);
  w.Bool("push_to_slack", o.push_to_slack);
  w.Line("layout", o.layout);

  const DeliveryConfig& d = c.delivery;
  w.Section("DELIVERY");
  w.Line("slack_webhook_env", d.slack_webhook_env);
  w.Int("slack_top_papers", d.slack_top_papers);
  w.Line("slack_token_env", d.slack_token_env);
  w.Line("slack_channel_env", d.slack_channel_env);
  w.Line("smtp_host", d.smtp_host);
  w.Int("smtp_port", d.smtp_port);
  w.Line("smtp_security", d.smtp_security);
  w.Line("smtp_user_env", d.smtp_user_env);
  w.Line("smtp_password_env", d.smtp_password_env);
  w.Line("smtp_from", d.smtp_from);
  w.List("smtp_to", d.smtp_to);
  w.Bool("notify_empty", d.notify_empty);
  w.Line("digest_base_url", RedactUrlPassword(d.digest_base_url));

  const PromptTexts& p = c.prompts;
  w.Section("PROMPTS");
  w.Line("layout",
         (p.layout == PromptLayout::kTatsu ? "tatsu (base, topics, papers, "
                                             "instructions)"
                                           : "reference (base, instructions, "
                                             "criteria, papers, topics)"));
  w.Line("base_prompt", PromptSummary(c, "base_prompt", p.base));
  w.Line("postfix_prompt", PromptSummary(c, "postfix_prompt", p.postfix));
  w.Line("score_criteria",
         PromptSummary(c, "score_criteria", p.score_criteria));
  w.Line("paper_topics", PromptSummary(c, "paper_topics", p.topics));
  w.Line("postfix_prompt_title",
         PromptSummary(c, "postfix_prompt_title", p.title_postfix));
  w.Int("followed_authors", static_cast<int>(c.authors.size()));

  const EnvironmentConfig& e = c.env;
  w.Section("ENVIRONMENT");
  w.Line("OPENAI_API_KEY", SetOrUnset(e.openai_api_key));
  w.Line("OPENAI_BASE_URL", RedactUrlPassword(e.openai_base_url));
  std::vector<std::string> header_names;
  for (const auto& [header, value] : e.openai_extra_headers) {
    header_names.push_back(header);
  }
  w.Line("OPENAI_EXTRA_HEADERS",
         header_names.empty() ? std::string("(none)")
                              : absl::StrCat(absl::StrJoin(header_names, ", "),
                                             " (values not shown)"));
  w.Line("REDIS_URL", RedactUrlPassword(e.redis_url));
  w.Line("REDIS_KEY_PREFIX", e.redis_key_prefix);
  w.Line("ARXIV_RSS_URL", RedactUrlPassword(e.arxiv_rss_url));
  w.Line("ARXIV_API_URL", RedactUrlPassword(e.arxiv_api_url));
  w.Line("ARXIV_OAI_URL", RedactUrlPassword(e.arxiv_oai_url));

  if (c.warnings.empty()) {
    w.Raw("# warnings: none\n");
  } else {
    for (const std::string& warning : c.warnings) {
      w.Raw(absl::StrCat("# warning: ", warning, "\n"));
    }
  }
}

}  // namespace

std::string EffectiveSettingsReport(
    const std::map<std::string, Config>& profiles) {
  Writer w;
  bool first = true;
  // The default profile first: the others override it.
  auto write = [&](const std::string& name, const Config& config) {
    if (!first) w.Raw("\n");
    first = false;
    WriteProfile(name, config, w);
  };
  if (auto it = profiles.find("default"); it != profiles.end()) {
    write(it->first, it->second);
  }
  for (const auto& [name, config] : profiles) {
    if (name != "default") write(name, config);
  }
  return w.Take();
}

}  // namespace arxiv_digest
