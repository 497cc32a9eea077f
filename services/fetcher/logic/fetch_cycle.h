// One daily fetch: every configured feed, freshness and empty-day checks,
// selection, then the run recorded (see RunRecorder). I/O only through the
// interfaces of fetch_ports.h, so the cycle is tested with fakes and wired
// to HTTP + Redis in main.cc.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "lib/core/paper.h"
#include "services/fetcher/logic/fetch_ports.h"
#include "services/fetcher/logic/paper_selection.h"
#include "services/fetcher/logic/profile_runs.h"

namespace arxiv_digest {

// Feeds larger than this are still parsed but logged and counted
// (feed_errors{kind="large_feed"}): a live arXiv feed is ~1-3 MB.
inline constexpr size_t kLargeFeedBytes = 20u << 20;

class FetchCycle {
 public:
  using IdGenerator = std::function<std::string(const std::string& date)>;

  FetchCycle(const Config& config, FeedSource& source,
             contract::RunWriter& writer, SeenStore& seen, FeedDateStore& dates,
             IdGenerator make_run_id, FetchObserver observer = {});

  // Fetches every configured category.
  // - A feed that cannot be fetched, or is not an RSS feed at all (HTML
  //   error page, garbage), fails the whole cycle before anything is
  //   written, so a run never silently misses a category.
  // - A feed answered 304, or whose channel date equals the one recorded by
  //   the last run, is "not updated": if every feed is, the run is
  //   no_announcements with reason kReasonNotUpdated.
  // - Empty feeds (weekend, holiday), nothing selected, or everything
  //   already delivered: no_announcements with a reason (empty_day.h).
  // - A malformed feed whose items could be recovered is used, logged and
  //   counted, and not marked as done (no date, no validators), so the next
  //   cycle fetches it again and delivers the papers it lacked.
  // `force` (manual re-run) skips the freshness check, conditional GET and
  // de-duplication.
  // With profiles (ServeProfiles) the fetch covers the union of every
  // profile's feed entries, the daily run holds the default profile's
  // selection, and every other profile gets a child run (see
  // ServeProfiles). The returned manifest is the daily run's.
  absl::StatusOr<RunManifest> RunOnce(bool force = false);

  // Serves `readers` from every later RunOnce: each gets a run of kind
  // profile (parent_run = the daily run, id from `make_child_id`) with
  // exactly the papers its own filtering selects from the fetched feeds,
  // de-duplicated against its own SeenStore, recorded in `index` before
  // the daily run is finished (so the api's fan-out finds it done). A
  // profile with nothing selected gets a no_announcements child. Nothing
  // is written for profiles when no feed was updated.
  void ServeProfiles(std::vector<ProfileReader> readers, ProfileRunIndex& index,
                     IdGenerator make_child_id);

 private:
  ProfileRuns profiles_;
  const Config& config_;
  FeedSource& source_;
  contract::RunWriter& writer_;
  SeenStore& seen_;
  FeedDateStore& dates_;
  IdGenerator make_run_id_;
  FetchObserver observer_;
};

// Default run ids: MakeRunId(date, run_id_tag::kFetch, random), i.e.
// "<date>-<8 random hex digits>".
std::string RandomRunId(const std::string& date);
// Profile child run ids: MakeRunId(date, run_id_tag::kProfile, random).
std::string RandomProfileRunId(const std::string& date);

// feed_errors{kind} of a ParseRssFeed error: html_page, unsupported_format
// or malformed_xml.
std::string FeedErrorKind(const absl::Status& parse_error);

}  // namespace arxiv_digest
