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

// Rendered digests: arxiv:digest:<profile>:<date>:<md|json|html>.
inline std::string Digest(const std::string& profile, const std::string& date,
                          const std::string& format) {
  return std::string(kPrefix) + "digest:" + profile + ":" + date + ":" + format;
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
