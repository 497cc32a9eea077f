#include "services/fetcher/logic/fetch_cycle.h"

#include <cstdio>
#include <random>

#include "absl/strings/str_cat.h"
#include "lib/log/log.h"
#include "services/fetcher/logic/paper_selection.h"
#include "services/fetcher/logic/rss_parser.h"

namespace arxiv_digest {

FetchCycle::FetchCycle(const Config& config, FeedSource& source,
                       RunWriter& writer, IdGenerator make_run_id,
                       FetchObserver observer)
    : config_(config),
      source_(source),
      writer_(writer),
      make_run_id_(std::move(make_run_id)),
      observer_(std::move(observer)) {}

absl::StatusOr<RunManifest> FetchCycle::RunOnce() {
  std::vector<FetchedFeed> feeds;
  for (const std::string& category : config_.filtering.arxiv_categories) {
    absl::StatusOr<std::string> body = source_.FetchFeed(category);
    if (!body.ok()) {
      if (observer_.on_feed_error) {
        observer_.on_feed_error(category, std::string(body.status().message()));
      }
      return absl::Status(
          body.status().code(),
          absl::StrCat("feed ", category, ": ", body.status().message()));
    }
    absl::StatusOr<Feed> feed = ParseRssFeed(*body);
    if (!feed.ok()) {
      if (observer_.on_feed_error) {
        observer_.on_feed_error(category, std::string(feed.status().message()));
      }
      return absl::Status(
          feed.status().code(),
          absl::StrCat("feed ", category, ": ", feed.status().message()));
    }
    for (const std::string& error : feed->item_errors) {
      LogWarning("feed item skipped",
                 {{"category", category}, {"error", error}});
    }
    LogInfo("feed fetched", {{"category", category},
                             {"items", std::to_string(feed->items.size())},
                             {"date", feed->date}});
    feeds.push_back(FetchedFeed{category, *std::move(feed)});
  }

  Selection selection = SelectPapers(feeds, config_.filtering);
  RunManifest manifest;
  manifest.date = selection.date.empty() ? "unknown-date" : selection.date;
  manifest.run_id = make_run_id_(manifest.date);
  manifest.total_papers = selection.total_items;
  manifest.scanned_papers = selection.scanned_papers;
  manifest.papers_to_score = static_cast<int64_t>(selection.papers.size());

  if (selection.total_items == 0 || selection.papers.empty()) {
    // Weekends and holidays: an explicit status instead of an empty digest.
    manifest.status = run_status::kNoAnnouncements;
    if (absl::Status s = writer_.BeginRun(manifest); !s.ok()) return s;
    if (absl::Status s = writer_.FinishRun(manifest); !s.ok()) return s;
    return manifest;
  }

  manifest.status = run_status::kFetching;
  if (absl::Status s = writer_.BeginRun(manifest); !s.ok()) return s;
  for (const Paper& paper : selection.papers) {
    if (absl::Status s = writer_.AppendPaper(manifest.run_id, paper); !s.ok()) {
      return s;
    }
    if (observer_.on_paper) observer_.on_paper(paper.feed, paper);
  }
  manifest.status = run_status::kFetched;
  if (absl::Status s = writer_.FinishRun(manifest); !s.ok()) return s;
  return manifest;
}

std::string RandomRunId(const std::string& date) {
  std::random_device rd;
  char suffix[16];
  std::snprintf(suffix, sizeof(suffix), "%08x", static_cast<unsigned>(rd()));
  return absl::StrCat(date, "-", suffix);
}

}  // namespace arxiv_digest
