// One fetch, many readers: which feed entries a day's fetch covers (the
// union of every profile's [FILTERING] arxiv_category) and which of the
// fetched feeds one profile reads. Each profile then selects its papers
// with its own announce types and force_primary (paper_selection.h), so it
// gets exactly what its own settings select. Pure logic, no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/config/config.h"
#include "services/fetcher/logic/paper_selection.h"

namespace arxiv_digest {

// A category entry compared by meaning: "cs.CL + cs.LG" and "cs.CL+cs.LG"
// are the same request (spaces removed).
std::string FeedEntryKey(std::string_view entry);

// Every entry of every list once (by FeedEntryKey), in first-seen order.
// Pass the default profile's list first: its entries keep their spelling,
// so its feeds (and their remembered dates and validators) keep their
// names, as before profiles were fetched; entries only other profiles list
// are requested as their FeedEntryKey.
std::vector<std::string> UnionFeedEntries(
    const std::vector<const FilteringConfig*>& profiles);

// The feeds of `fetched` that `filtering` lists, in the profile's own
// order and spelling (papers then carry the profile's feed name). Entries
// that were not fetched (not updated) are left out.
std::vector<FetchedFeed> FeedsOfProfile(const std::vector<FetchedFeed>& fetched,
                                        const FilteringConfig& filtering);

}  // namespace arxiv_digest
