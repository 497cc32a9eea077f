// Names of every Redis key the services share. One place, so the fetcher,
// scorers, publisher, tests and the README agree.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace arxiv_digest::keys {

// Deprecated: the default prefix only. Build keys with the functions below,
// which use the process-wide Prefix(); kPrefix stays until no code spells it.
inline constexpr char kPrefix[] = "arxiv:";

namespace internal {
inline std::string& MutablePrefix() {
  static std::string* prefix = new std::string(kPrefix);
  return *prefix;
}
}  // namespace internal

// The prefix of every key, "arxiv:" unless SetPrefix changed it.
inline const std::string& Prefix() { return internal::MutablePrefix(); }

// Sets the prefix for the whole process, e.g. to let two deployments share
// one Redis. Call once at startup, before any thread builds a key (it is
// not synchronised). [A-Za-z0-9_.:-]{1,64}; no '*', '?', '[' (SCAN
// patterns), no spaces.
inline absl::Status SetPrefix(std::string_view prefix) {
  if (prefix.empty() || prefix.size() > 64) {
    return absl::InvalidArgumentError(
        "key prefix: must have 1 to 64 characters");
  }
  for (char c : prefix) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' ||
              c == '-';
    if (!ok) {
      return absl::InvalidArgumentError(
          "key prefix: only [A-Za-z0-9_.:-] is allowed");
    }
  }
  internal::MutablePrefix() = std::string(prefix);
  return absl::OkStatus();
}

// Streams.
inline std::string PapersStream() { return Prefix() + "papers"; }
inline std::string ScoresStream() { return Prefix() + "scores"; }
inline std::string RunsStream() { return Prefix() + "runs"; }
inline std::string DeadLetterStream() { return Prefix() + "dead-letter"; }

// Consumer groups.
inline constexpr char kScorerGroup[] = "scorers";
inline constexpr char kPublisherGroup[] = "publishers";

// Per-run state: the manifest hash and its papers/scores/usage hashes.
inline std::string Run(const std::string& run_id) {
  return Prefix() + "run:" + run_id;
}
inline std::string RunPapers(const std::string& run_id) {
  return Run(run_id) + ":papers";
}
inline std::string RunScores(const std::string& run_id) {
  return Run(run_id) + ":scores";
}
inline std::string RunUsage(const std::string& run_id) {
  return Run(run_id) + ":usage";
}
inline std::string RunPublishLock(const std::string& run_id) {
  return Run(run_id) + ":publish-lock";
}
// Every paper's fate in one run (which stage dropped or kept it, and why):
// hash arxiv id -> contract::PaperFate JSON, written by the scorer.
inline std::string RunFates(const std::string& run_id) {
  return Run(run_id) + ":fates";
}
// The scorer's lexical pre-filter threshold of one run.
inline std::string RunPrefilterThreshold(const std::string& run_id) {
  return Run(run_id) + ":prefilter-threshold";
}
// SCAN MATCH pattern of every run's papers hash, and the run id back from
// one matching key (nullopt for keys of another shape).
inline std::string RunPapersPattern() { return Run("*") + ":papers"; }
inline std::optional<std::string> RunIdOfPapersKey(std::string_view key) {
  const std::string head = Run("");
  constexpr std::string_view kTail = ":papers";
  if (key.size() <= head.size() + kTail.size() ||
      key.substr(0, head.size()) != head ||
      key.substr(key.size() - kTail.size()) != kTail) {
    return std::nullopt;
  }
  return std::string(
      key.substr(head.size(), key.size() - head.size() - kTail.size()));
}
// SCAN/KEYS pattern of run manifests and their sub-keys.
inline std::string RunPattern() { return Run("*"); }

// SCAN MATCH patterns of the digest keys retention expires (the text of
// every version and the latest, and the per-date meta hashes).
inline std::string DigestPattern() { return Prefix() + "digest:*"; }
inline std::string DigestMetaPattern() { return Prefix() + "digest-meta:*"; }

// Rendered digests. Every publication of a (profile, date) is a new
// version; old versions stay readable.
//   arxiv:digest:<profile>:<date>:v<n>:<md|json|html>  one version's text
//   arxiv:digest:<profile>:<date>:<md|json|html>       the latest version
//   arxiv:digest-meta:<profile>:<date>  hash "v<n>" -> {"run_id", "version",
//                                       "relevant_papers", "published_at"}
//   arxiv:digests:<profile>   sorted set of dates (score YYYYMMDD)
//   arxiv:profiles            set of profiles that have digests
inline std::string Digest(const std::string& profile, const std::string& date,
                          const std::string& format) {
  return Prefix() + "digest:" + profile + ":" + date + ":" + format;
}
inline std::string DigestVersion(const std::string& profile,
                                 const std::string& date, int version,
                                 const std::string& format) {
  return Prefix() + "digest:" + profile + ":" + date + ":v" +
         std::to_string(version) + ":" + format;
}
inline std::string DigestMeta(const std::string& profile,
                              const std::string& date) {
  return Prefix() + "digest-meta:" + profile + ":" + date;
}
inline std::string DigestIndex(const std::string& profile) {
  return Prefix() + "digests:" + profile;
}
inline std::string Profiles() { return Prefix() + "profiles"; }
// Numbers the versions of one (profile, date): held while publishing.
inline std::string DigestMetaLock(const std::string& profile,
                                  const std::string& date) {
  return DigestMeta(profile, date) + ":lock";
}

// Requests for a fetch (TriggerRun): fields run_id (pre-assigned), and
// optional categories (comma list) and date; consumed by the fetcher.
inline std::string TriggersStream() { return Prefix() + "triggers"; }
inline constexpr char kFetcherGroup[] = "fetchers";

// The api's consumer group on arxiv:runs for the profile fan-out, and its
// record of one daily run's child runs (profile -> run id, idempotent).
inline constexpr char kProfilesGroup[] = "profiles";
inline std::string RunProfileRuns(const std::string& run_id) {
  return Run(run_id) + ":profile-runs";
}
// Every per-run key of one run that retention expires together (the
// publish lock has its own short TTL and is not listed).
inline std::vector<std::string> RunKeys(const std::string& run_id) {
  return {Run(run_id),           RunPapers(run_id),
          RunScores(run_id),     RunUsage(run_id),
          RunFates(run_id),      RunPrefilterThreshold(run_id),
          RunProfileRuns(run_id)};
}
// Rescore token bucket of one API client.
inline std::string ApiLimit(const std::string& client) {
  return Prefix() + "api-limit:" + client;
}

inline std::string LatestRun() { return Prefix() + "latest-run"; }

// The scorers' shared LLM rate limit of one model.
inline std::string LlmLimit(const std::string& model) {
  return Prefix() + "llm-limit:" + model;
}
// Cached scores of one (model, prompt fingerprint). Until issue 12 a hash
// "<id>v<version>" -> score JSON with one TTL for the whole key (now only
// left to expire); since then one string per paper version with its own
// TTL, so old entries go even while the cache keeps being written:
//   arxiv:score-cache:<model>:<fingerprint>:<id>v<version> -> score JSON
inline std::string ScoreCache(const std::string& model,
                              const std::string& prompt_fingerprint) {
  return Prefix() + "score-cache:" + model + ":" + prompt_fingerprint;
}
inline std::string ScoreCacheEntry(const std::string& model,
                                   const std::string& prompt_fingerprint,
                                   const std::string& paper_version) {
  return ScoreCache(model, prompt_fingerprint) + ":" + paper_version;
}

// Fetcher memory across runs (see services/fetcher/README.md).
// Delivered papers: value = last delivered version, with a TTL.
inline std::string Seen(const std::string& arxiv_id) {
  return Prefix() + "seen:" + arxiv_id;
}
inline std::string SeenPattern() { return Seen("*"); }
// Dates with a recorded fetch run (fetched or no_announcements): sorted set,
// score YYYYMMDD, pruned to about a year; the missed-day catch-up reads it.
inline std::string FetchedDates() { return Prefix() + "fetched-dates"; }
// Channel date of the last run that used this configured feed entry.
inline std::string LastFeedDate(const std::string& category) {
  return Prefix() + "last-feed-date:" + category;
}
// Conditional-GET validators of a URL: hash {etag, last_modified}.
inline std::string HttpCache(const std::string& url) {
  return Prefix() + "http-cache:" + url;
}
// Shared by every fetcher replica: at most one arXiv request at a time and a
// minimum interval between requests.
inline std::string RateLimit(const std::string& host) {
  return Prefix() + "ratelimit:" + host;
}
// One fetcher replica per day's fetch (or per backfill).
inline std::string FetchLock(const std::string& what) {
  return Prefix() + "lock:fetch:" + what;
}

}  // namespace arxiv_digest::keys
