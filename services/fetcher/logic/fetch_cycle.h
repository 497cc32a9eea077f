// One daily fetch: every configured feed, selection, then the run written
// through a RunWriter. I/O only through the two interfaces below, so the
// cycle is tested with fakes and wired to HTTP + Redis in main.cc.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

// Where feeds come from (rss.arxiv.org, a file:// folder, a test server).
class FeedSource {
 public:
  virtual ~FeedSource() = default;
  virtual absl::StatusOr<std::string> FetchFeed(
      const std::string& category) = 0;
};

// Where a run goes (Redis streams in production). Calls come in this order:
// BeginRun, AppendPaper for each paper, FinishRun (the manifest last, so a
// consumer that sees the manifest knows every paper was already appended).
class RunWriter {
 public:
  virtual ~RunWriter() = default;
  virtual absl::Status BeginRun(const RunManifest& manifest) = 0;
  virtual absl::Status AppendPaper(const std::string& run_id,
                                   const Paper& paper) = 0;
  virtual absl::Status FinishRun(const RunManifest& manifest) = 0;
};

// Counters the cycle reports (metrics live in the adapter layer).
struct FetchObserver {
  std::function<void(const std::string& category, const Paper&)> on_paper;
  std::function<void(const std::string& category, const std::string& error)>
      on_feed_error;
};

class FetchCycle {
 public:
  using IdGenerator = std::function<std::string(const std::string& date)>;

  FetchCycle(const Config& config, FeedSource& source, RunWriter& writer,
             IdGenerator make_run_id, FetchObserver observer = {});

  // Fetches every configured category. A feed that cannot be fetched or
  // parsed fails the whole cycle before anything is written, so a run never
  // silently misses a category. No items at all → status no_announcements.
  absl::StatusOr<RunManifest> RunOnce();

 private:
  const Config& config_;
  FeedSource& source_;
  RunWriter& writer_;
  IdGenerator make_run_id_;
  FetchObserver observer_;
};

// Default run ids: "<date>-<8 random hex digits>".
std::string RandomRunId(const std::string& date);

}  // namespace arxiv_digest
