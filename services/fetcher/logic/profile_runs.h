// The child runs of one fetched day, one per non-default reader profile:
// what the daily cycle (RSS) and the backfills (OAI-PMH) both record next
// to the default profile's run, so a reader gets the same kind of run
// whichever path fetched the day. Pure logic: I/O through fetch_ports.h.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "lib/config/config.h"
#include "services/fetcher/logic/fetch_ports.h"
#include "services/fetcher/logic/paper_selection.h"

namespace arxiv_digest {

// Another reader profile served by the same fetch: its own selection
// settings and its own memory of delivered papers, so a paper delivered to
// one reader still reaches another whose settings select it.
struct ProfileReader {
  std::string name;  // a valid profile name, not "default"
  FilteringConfig filtering;
  SeenStore* seen = nullptr;  // not owned
};

// What one profile reads of the fetched day: its feeds (in its own order
// and spelling, announce types as its own entries give them) and the
// manifest reason when they hold no item at all.
struct ProfileDay {
  std::vector<FetchedFeed> feeds;
  std::string no_items_reason;
};

class ProfileRuns {
 public:
  using IdGenerator = std::function<std::string(const std::string& date)>;
  using DayOf = std::function<ProfileDay(const ProfileReader&)>;

  ProfileRuns() = default;  // serves nobody
  // `index` must outlive this object.
  ProfileRuns(std::vector<ProfileReader> readers, ProfileRunIndex& index,
              IdGenerator make_child_id);

  bool empty() const { return readers_.empty(); }
  const std::vector<ProfileReader>& readers() const { return readers_; }

  // `main` first (its entries keep their spelling), then every reader's:
  // the argument of UnionFeedEntries.
  std::vector<const FilteringConfig*> WithReaders(
      const FilteringConfig& main) const;

  // One run of kind profile per reader (parent_run = `daily_run_id`, date
  // `date`, id from the generator) with exactly the papers its own
  // filtering selects from `day_of(reader)`, de-duplicated against its own
  // SeenStore unless `force`, no_announcements with a reason when nothing
  // is left; each recorded in the index. Call it before the daily run is
  // finished, so the api's fan-out finds every profile served. The first
  // failure is returned (naming the profile).
  absl::Status Record(const DayOf& day_of, const std::string& date,
                      const std::string& daily_run_id, bool force,
                      contract::RunWriter& writer,
                      const FetchObserver& observer) const;

 private:
  std::vector<ProfileReader> readers_;
  ProfileRunIndex* index_ = nullptr;
  IdGenerator make_child_id_;
};

}  // namespace arxiv_digest
