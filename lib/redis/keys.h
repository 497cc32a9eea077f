// Names of every Redis key the services share. One place, so the fetcher,
// scorers, publisher, tests and the README agree.
#pragma once

#include <string>

namespace arxiv_digest::keys {

inline constexpr char kPrefix[] = "arxiv:";

// Streams.
inline std::string PapersStream() { return std::string(kPrefix) + "papers"; }
inline std::string ScoresStream() { return std::string(kPrefix) + "scores"; }
inline std::string RunsStream() { return std::string(kPrefix) + "runs"; }
inline std::string DeadLetterStream() {
  return std::string(kPrefix) + "dead-letter";
}

// Consumer groups.
inline constexpr char kScorerGroup[] = "scorers";
inline constexpr char kPublisherGroup[] = "publishers";

// Per-run state: the manifest hash and its papers/scores/usage hashes.
inline std::string Run(const std::string& run_id) {
  return std::string(kPrefix) + "run:" + run_id;
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
  return std::string(kPrefix) + "digest:" + profile + ":" + date + ":" + format;
}
inline std::string DigestVersion(const std::string& profile,
                                 const std::string& date, int version,
                                 const std::string& format) {
  return std::string(kPrefix) + "digest:" + profile + ":" + date + ":v" +
         std::to_string(version) + ":" + format;
}
inline std::string DigestMeta(const std::string& profile,
                              const std::string& date) {
  return std::string(kPrefix) + "digest-meta:" + profile + ":" + date;
}
inline std::string DigestIndex(const std::string& profile) {
  return std::string(kPrefix) + "digests:" + profile;
}
inline std::string Profiles() { return std::string(kPrefix) + "profiles"; }

// Requests for a fetch (TriggerRun): fields run_id (pre-assigned), and
// optional categories (comma list) and date; consumed by the fetcher.
inline std::string TriggersStream() {
  return std::string(kPrefix) + "triggers";
}
inline constexpr char kFetcherGroup[] = "fetchers";

// The api's consumer group on arxiv:runs for the profile fan-out, and its
// record of one daily run's child runs (profile -> run id, idempotent).
inline constexpr char kProfilesGroup[] = "profiles";
inline std::string RunProfileRuns(const std::string& run_id) {
  return Run(run_id) + ":profile-runs";
}
// Rescore token bucket of one API client.
inline std::string ApiLimit(const std::string& client) {
  return std::string(kPrefix) + "api-limit:" + client;
}

inline std::string LatestRun() { return std::string(kPrefix) + "latest-run"; }

// Fetcher memory across runs (see services/fetcher/README.md).
// Delivered papers: value = last delivered version, with a TTL.
inline std::string Seen(const std::string& arxiv_id) {
  return std::string(kPrefix) + "seen:" + arxiv_id;
}
// Channel date of the last run that used this configured feed entry.
inline std::string LastFeedDate(const std::string& category) {
  return std::string(kPrefix) + "last-feed-date:" + category;
}
// Conditional-GET validators of a URL: hash {etag, last_modified}.
inline std::string HttpCache(const std::string& url) {
  return std::string(kPrefix) + "http-cache:" + url;
}
// Shared by every fetcher replica: at most one arXiv request at a time and a
// minimum interval between requests.
inline std::string RateLimit(const std::string& host) {
  return std::string(kPrefix) + "ratelimit:" + host;
}
// One fetcher replica per day's fetch (or per backfill).
inline std::string FetchLock(const std::string& what) {
  return std::string(kPrefix) + "lock:fetch:" + what;
}

}  // namespace arxiv_digest::keys
