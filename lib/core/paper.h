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
  bool cached = false;       // taken from the score cache, no LLM call

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
};

namespace run_status {
inline constexpr char kFetching[] = "fetching";
inline constexpr char kFetched[] = "fetched";
inline constexpr char kPublished[] = "published";
inline constexpr char kNoAnnouncements[] = "no_announcements";
inline constexpr char kFailed[] = "failed";
}  // namespace run_status

}  // namespace arxiv_digest
