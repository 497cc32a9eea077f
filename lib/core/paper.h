// Core value types shared by every service. Plain data, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace arxiv_digest {

// One announced paper as the fetcher keeps it and the scorer/publisher see it.
struct Paper {
  std::string arxiv_id;  // version-less, e.g. "2504.14960"
  int version = 1;       // from "arXiv:2504.14960v2"; 1 when unknown
  std::string title;
  std::vector<std::string> authors;
  std::string
      abstract;  // "arXiv:... Announce Type: ... Abstract:" prefix stripped
  std::string announce_type;            // new, cross, replace, replace-cross
  std::vector<std::string> categories;  // first one is the primary category
  std::string feed;      // the configured category entry the paper came from
  int64_t position = 0;  // order in the run (feed order after de-duplication)

  bool operator==(const Paper&) const = default;
};

// What the scorer decided about one paper of one run.
struct Score {
  std::string arxiv_id;
  int relevance = 0;
  int novelty = 0;
  std::string comment;
  bool author_match = false;      // scored by authors.txt, not by the LLM
  double author_match_score = 0;  // SCORE of an author match (config)
  bool scored = true;  // false: the LLM never returned it after all retries
  std::string error;   // why it is unscored
  bool prefiltered = false;  // left out by the lexical pre-filter (unscored)
  // Dropped by a selection stage (h-index, LLM title stage): it counts as
  // handled, not unscored, but its 0/0 must never pass a cut-off of 0.
  bool filtered = false;
  bool cached = false;  // taken from the score cache, no LLM call

  bool operator==(const Score&) const = default;
};

// Token usage of one LLM call (or a sum of calls).
struct TokenUsage {
  int64_t prompt_tokens = 0;  // includes cached tokens, as OpenAI reports
  int64_t completion_tokens = 0;
  int64_t cached_tokens = 0;

  TokenUsage& operator+=(const TokenUsage& o) {
    prompt_tokens += o.prompt_tokens;
    completion_tokens += o.completion_tokens;
    cached_tokens += o.cached_tokens;
    return *this;
  }
  bool operator==(const TokenUsage&) const = default;
};

// The fetcher's summary of a run, written after all its papers.
struct RunManifest {
  std::string run_id;
  std::string date;             // YYYY-MM-DD from the feed's pubDate
  int64_t total_papers = 0;     // all items of all feeds ("Total arXiv papers")
  int64_t scanned_papers = 0;   // kept items summed per category
  int64_t papers_to_score = 0;  // unique papers appended to the stream
  std::string status;           // see RunStatus below
  // Why a run has no papers (status no_announcements), e.g. "feed not
  // updated since the last run"; empty otherwise.
  std::string reason;
  int64_t skipped_seen = 0;  // selected papers already delivered earlier

  // The rest of the arxiv:run:<id> hash, written by other services at other
  // times (lib/contract/run_manifest.h names every field and who writes it).
  // Fetcher: when the run was begun and finished (epoch seconds, 0 unset).
  int64_t created_at = 0;
  int64_t fetched_at = 0;
  // api: "" for fetched runs (daily or triggered); "rescore" or "profile"
  // for runs derived from an earlier run's papers.
  std::string kind;
  std::string parent_run;       // derived runs: the run the papers came from
  std::string profile;          // "" means "default"
  std::string topics_override;  // rescore with other interests
  std::string requested_at;     // RFC 3339, api-created runs
  std::string requested_by;     // api client name
  std::vector<std::string> categories;  // trigger: empty = configured ones
  std::string error;                    // status failed: why
  // Scorer results as the publisher records them.
  std::string model;
  int64_t digest_version = 0;
  int64_t relevant_papers = 0;
  int64_t unscored_papers = 0;
  int64_t prefiltered_papers = 0;
  TokenUsage tokens;
  double cost_usd = 0;

  bool operator==(const RunManifest&) const = default;
};

namespace run_status {
inline constexpr char kRequested[] = "requested";  // api trigger, not begun
inline constexpr char kFetching[] = "fetching";
inline constexpr char kFetched[] = "fetched";
inline constexpr char kPublished[] = "published";
inline constexpr char kNoAnnouncements[] = "no_announcements";
inline constexpr char kFailed[] = "failed";
}  // namespace run_status

}  // namespace arxiv_digest
