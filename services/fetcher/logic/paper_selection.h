// Turns the parsed feeds of one run into the list of papers to score, with
// the counts the digest header prints. Pure logic, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/config/config.h"
#include "lib/core/paper.h"
#include "services/fetcher/logic/rss_parser.h"

namespace arxiv_digest {

// One configured category entry and what its feed returned.
struct FetchedFeed {
  std::string category;  // as configured: "cs.LG" or "cs.CL+cs.CV"
  Feed feed;
};

struct Selection {
  // Kept papers, de-duplicated by arxiv_id (first feed wins), in feed order,
  // with Paper.feed = the category entry and Paper.position = 0..n-1.
  std::vector<Paper> papers;
  int64_t total_items = 0;     // every item of every feed
  int64_t scanned_papers = 0;  // kept items summed per feed (before dedup)
  std::string date;            // first non-empty Feed::date
};

// Keeps an item when its announce_type is in filtering.announce_types and,
// with force_primary, its first <category> is one of the categories of its
// feed's entry (the entry split on '+'). Items without any <category> pass
// the primary check: rebuilt feeds may lack categories and dropping every
// paper of such a feed would be worse than keeping some cross-lists.
Selection SelectPapers(const std::vector<FetchedFeed>& feeds,
                       const FilteringConfig& filtering);

}  // namespace arxiv_digest
