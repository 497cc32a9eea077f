// The interfaces through which the fetcher's logic does I/O. Adapters
// (HTTP, Redis) implement them; tests pass fakes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/contract/run_writer.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

struct FeedFetch {
  bool not_modified = false;  // HTTP 304 to a conditional GET: no body
  std::string body;
};

// Where feeds come from (rss.arxiv.org, a file:// folder, a test server).
class FeedSource {
 public:
  virtual ~FeedSource() = default;
  // `conditional`: send the validators (ETag / Last-Modified) remembered
  // from the last committed fetch of this feed.
  virtual absl::StatusOr<FeedFetch> FetchFeed(const std::string& category,
                                              bool conditional) = 0;
  // The run that used these feeds is recorded: remember their validators
  // now (not at fetch time, so a run that failed half-way is fetched again
  // in full instead of answered with 304).
  virtual absl::Status CommitFeeds(const std::vector<std::string>& categories) {
    return absl::OkStatus();
  }
};

// Runs are written through contract::RunWriter (lib/contract/run_writer.h),
// the one port every service writes runs with.

// Papers delivered by earlier runs (version-less id -> version), kept for a
// bounded time and across restarts.
class SeenStore {
 public:
  virtual ~SeenStore() = default;
  // Only ids that were delivered appear in the result.
  virtual absl::StatusOr<std::map<std::string, int>> DeliveredVersions(
      const std::vector<std::string>& ids) = 0;
  virtual absl::Status MarkDelivered(const std::vector<Paper>& papers) = 0;
};

// The channel date of the last recorded run per configured feed entry.
class FeedDateStore {
 public:
  virtual ~FeedDateStore() = default;
  virtual absl::StatusOr<std::optional<std::string>> LastFeedDate(
      const std::string& category) = 0;
  virtual absl::Status SetLastFeedDate(const std::string& category,
                                       const std::string& date) = 0;
};

// The record of a daily run's per-profile child runs
// (keys::RunProfileRuns: profile -> child run id). The api's fan-out reads
// the same record and leaves every profile found there alone, so a profile
// served by the fetcher is never scored twice.
class ProfileRunIndex {
 public:
  virtual ~ProfileRunIndex() = default;
  virtual absl::Status RecordProfileRun(const std::string& daily_run_id,
                                        const std::string& profile,
                                        const std::string& child_run_id) = 0;
};

// What the cycle reports for metrics (they live in the adapter layer).
struct FetchObserver {
  std::function<void(const std::string& category, const Paper&)> on_paper;
  // kind: fetch, html_page, unsupported_format, malformed_xml, invalid_item,
  // invalid_utf8 (count = replacements), large_feed, api_error.
  std::function<void(const std::string& category, const std::string& kind,
                     int64_t count)>
      on_feed_error;
  std::function<void(int64_t count)> on_skipped_seen;
};

}  // namespace arxiv_digest
