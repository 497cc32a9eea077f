#include "services/fetcher/logic/fetch_cycle.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/contract/run_manifest.h"
#include "lib/core/ids.h"
#include "lib/log/log.h"
#include "services/fetcher/logic/empty_day.h"
#include "services/fetcher/logic/paper_selection.h"
#include "services/fetcher/logic/profile_feeds.h"
#include "services/fetcher/logic/rss_parser.h"
#include "services/fetcher/logic/run_recorder.h"
#include "services/fetcher/logic/seen_filter.h"

namespace arxiv_digest {
namespace {

// One configured feed after fetching and parsing.
struct FeedState {
  std::string category;
  bool updated = true;    // false: 304 or same channel date as last run
  bool complete = true;   // false: items recovered from malformed XML
  std::string last_date;  // recorded by the previous run, may be empty
  Feed feed;
};

}  // namespace

FetchCycle::FetchCycle(const Config& config, FeedSource& source,
                       contract::RunWriter& writer, SeenStore& seen,
                       FeedDateStore& dates, IdGenerator make_run_id,
                       FetchObserver observer)
    : config_(config),
      source_(source),
      writer_(writer),
      seen_(seen),
      dates_(dates),
      make_run_id_(std::move(make_run_id)),
      observer_(std::move(observer)) {}

std::string FeedErrorKind(const absl::Status& parse_error) {
  std::string m(parse_error.message());
  if (m.find("root element <html>") != std::string::npos) {
    return "html_page";
  }
  if (m.find("unsupported feed format") != std::string::npos) {
    return "unsupported_format";
  }
  return "malformed_xml";
}

absl::StatusOr<RunManifest> FetchCycle::RunOnce(bool force) {
  auto report = [&](const std::string& category, const std::string& kind,
                    int64_t count) {
    if (observer_.on_feed_error && count > 0) {
      observer_.on_feed_error(category, kind, count);
    }
  };
  std::vector<FeedState> states;
  for (const std::string& category :
       UnionFeedEntries(profiles_.WithReaders(config_.filtering))) {
    FeedState state;
    state.category = category;
    if (!force) {
      absl::StatusOr<std::optional<std::string>> last =
          dates_.LastFeedDate(category);
      if (!last.ok()) return last.status();
      state.last_date = last->value_or("");
    }
    absl::StatusOr<FeedFetch> fetched = source_.FetchFeed(category, !force);
    if (!fetched.ok()) {
      report(category, "fetch", 1);
      LogError("feed fetch failed",
               {{"category", category},
                {"error", std::string(fetched.status().message())}});
      return absl::Status(
          fetched.status().code(),
          absl::StrCat("feed ", category, ": ", fetched.status().message()));
    }
    if (fetched->not_modified) {
      state.updated = false;
      LogInfo("feed not modified (HTTP 304)", {{"category", category}});
      states.push_back(std::move(state));
      continue;
    }
    if (fetched->body.size() > kLargeFeedBytes) {
      report(category, "large_feed", 1);
      LogWarning("unusually large feed",
                 {{"category", category},
                  {"bytes", std::to_string(fetched->body.size())}});
    }
    absl::StatusOr<Feed> feed = ParseRssFeed(fetched->body);
    fetched->body.clear();
    fetched->body.shrink_to_fit();
    if (!feed.ok()) {
      report(category, FeedErrorKind(feed.status()), 1);
      LogError("feed unusable",
               {{"category", category},
                {"error", std::string(feed.status().message())}});
      return absl::Status(
          feed.status().code(),
          absl::StrCat("feed ", category, ": ", feed.status().message()));
    }
    if (!feed->xml_error.empty()) {
      state.complete = false;
      report(category, "malformed_xml", 1);
      LogError(
          "malformed feed: readable items kept, feed fetched again next "
          "cycle",
          {{"category", category},
           {"error", feed->xml_error},
           {"items_recovered", std::to_string(feed->items.size())}});
    }
    report(category, "invalid_item",
           static_cast<int64_t>(feed->item_errors.size()));
    for (const std::string& error : feed->item_errors) {
      LogWarning("feed item skipped",
                 {{"category", category}, {"error", error}});
    }
    if (feed->invalid_utf8 > 0) {
      report(category, "invalid_utf8", feed->invalid_utf8);
      LogWarning("invalid UTF-8 replaced by U+FFFD",
                 {{"category", category},
                  {"replacements", std::to_string(feed->invalid_utf8)}});
    }
    if (!force && !feed->date.empty() && feed->date == state.last_date) {
      state.updated = false;
      LogInfo("feed not updated since the last run",
              {{"category", category}, {"date", feed->date}});
    } else {
      LogInfo("feed fetched", {{"category", category},
                               {"items", std::to_string(feed->items.size())},
                               {"date", feed->date}});
    }
    state.feed = *std::move(feed);
    states.push_back(std::move(state));
  }

  std::vector<FetchedFeed> fresh;
  std::string stale_date;
  for (FeedState& s : states) {
    if (s.updated) {
      fresh.push_back(FetchedFeed{s.category, std::move(s.feed)});
    } else if (stale_date.empty()) {
      stale_date = !s.feed.date.empty() ? s.feed.date : s.last_date;
    }
  }

  RunRecorder recorder(writer_, seen_, make_run_id_, observer_);
  RunPlan plan;
  plan.skip_delivered = !force;
  plan.rescore_new_versions = RescoresNewVersions(config_.filtering);
  if (fresh.empty()) {
    plan.date = stale_date;
    plan.empty_reason = kReasonNotUpdated;
    // Nothing new was used: no dates or validators to commit.
    return recorder.Record(std::move(plan));
  }
  // The daily run is the default profile's: only its own feeds.
  std::vector<FetchedFeed> own_feeds;
  if (!profiles_.empty()) own_feeds = FeedsOfProfile(fresh, config_.filtering);
  const std::vector<FetchedFeed>& own = profiles_.empty() ? fresh : own_feeds;
  Selection selection = SelectPapers(own, config_.filtering);
  plan.date = selection.date;
  for (const FetchedFeed& f : fresh) {
    if (!plan.date.empty()) break;
    plan.date = f.feed.date;  // the day of the other profiles' feeds
  }
  plan.total_papers = selection.total_items;
  plan.scanned_papers = selection.scanned_papers;
  plan.papers = std::move(selection.papers);
  if (own.empty()) {
    plan.empty_reason = kReasonNotUpdated;
  } else if (selection.total_items == 0) {
    plan.empty_reason = EmptyFeedsReason(own);
  } else if (plan.papers.empty()) {
    plan.empty_reason =
        NothingSelectedReason(selection.total_items, config_.filtering);
  }
  if (!profiles_.empty()) {
    // Children first: when the daily run is announced, the api's fan-out
    // must already find every profile recorded.
    plan.run_id = make_run_id_(plan.date.empty() ? kUnknownDate : plan.date);
    auto day_of = [&fresh](const ProfileReader& reader) {
      ProfileDay day{FeedsOfProfile(fresh, reader.filtering), ""};
      day.no_items_reason = day.feeds.empty() ? std::string(kReasonNotUpdated)
                                              : EmptyFeedsReason(day.feeds);
      return day;
    };
    if (absl::Status s = profiles_.Record(day_of, plan.date, plan.run_id, force,
                                          writer_, observer_);
        !s.ok()) {
      return s;
    }
  }
  absl::StatusOr<RunManifest> manifest = recorder.Record(std::move(plan));
  if (!manifest.ok()) return manifest;

  // The run is recorded: remember what it covered. Failures here only risk
  // a repeated (de-duplicated) fetch, so they are logged, not returned.
  std::vector<std::string> done;
  for (const FeedState& s : states) {
    if (!s.updated || !s.complete) continue;
    done.push_back(s.category);
  }
  for (const FetchedFeed& f : fresh) {
    bool complete =
        std::find(done.begin(), done.end(), f.category) != done.end();
    if (!complete || f.feed.date.empty()) continue;
    if (absl::Status s = dates_.SetLastFeedDate(f.category, f.feed.date);
        !s.ok()) {
      LogError("could not record the feed date",
               {{"category", f.category}, {"error", std::string(s.message())}});
    }
  }
  if (absl::Status s = source_.CommitFeeds(done); !s.ok()) {
    LogError("could not record HTTP validators",
             {{"categories", absl::StrJoin(done, ",")},
              {"error", std::string(s.message())}});
  }
  return manifest;
}

void FetchCycle::ServeProfiles(std::vector<ProfileReader> readers,
                               ProfileRunIndex& index,
                               IdGenerator make_child_id) {
  profiles_ = ProfileRuns(std::move(readers), index, std::move(make_child_id));
}

std::string RandomProfileRunId(const std::string& date) {
  std::random_device rd;
  absl::StatusOr<Date> day = Date::Parse(date);
  return MakeRunId(day.ok() ? std::optional<Date>(*day) : std::nullopt,
                   run_id_tag::kProfile, static_cast<uint32_t>(rd()))
      .str();
}

std::string RandomRunId(const std::string& date) {
  std::random_device rd;
  // A manifest date that is no real day ("unknown-date") gives MakeRunId's
  // "unknown-date-<hex>".
  absl::StatusOr<Date> day = Date::Parse(date);
  return MakeRunId(day.ok() ? std::optional<Date>(*day) : std::nullopt,
                   run_id_tag::kFetch, static_cast<uint32_t>(rd()))
      .str();
}

}  // namespace arxiv_digest
