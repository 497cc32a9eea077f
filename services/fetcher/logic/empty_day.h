// Why a run has nothing to score, in words for the manifest's `reason`, the
// logs and the API: weekends and holidays must read as "no announcements",
// never as silence or an empty digest. Pure logic.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/fetcher/logic/paper_selection.h"

namespace arxiv_digest {

inline constexpr char kReasonNotUpdated[] =
    "feed not updated since the last run";

// "2026-03-29" -> "Sunday"; "" when the text is not a valid date.
std::string WeekdayOf(std::string_view date);

// For feeds that were fetched and are new but have no items at all, e.g.
// "no announcements on Sunday 2026-03-29 (feed skipDays: Saturday, Sunday)"
// or, on a weekday the feed does not skip, "... (holiday?)".
std::string EmptyFeedsReason(const std::vector<FetchedFeed>& feeds);

// Items were announced but the filters kept none.
std::string NothingSelectedReason(int64_t total_items,
                                  const FilteringConfig& filtering);

// Every selected paper had been delivered by an earlier run.
std::string AllDeliveredReason(int64_t skipped_seen);

}  // namespace arxiv_digest
