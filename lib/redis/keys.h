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

}  // namespace arxiv_digest::keys
