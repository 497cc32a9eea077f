#include "services/fetcher/logic/paper_selection.h"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"

namespace arxiv_digest {
namespace {

bool Contains(const std::vector<std::string>& values, std::string_view v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

// "cs.CL + cs.CV" -> {"cs.CL", "cs.CV"}; spaces are tolerated because the
// entry comes from a hand-edited config.ini.
std::vector<std::string> SplitCategoryEntry(std::string_view entry) {
  std::vector<std::string> categories;
  size_t start = 0;
  while (start <= entry.size()) {
    size_t end = std::min(entry.find('+', start), entry.size());
    std::string_view category = entry.substr(start, end - start);
    while (!category.empty() && absl::ascii_isspace(category.front())) {
      category.remove_prefix(1);
    }
    while (!category.empty() && absl::ascii_isspace(category.back())) {
      category.remove_suffix(1);
    }
    if (!category.empty()) categories.emplace_back(category);
    start = end + 1;
  }
  return categories;
}

bool Keep(const Paper& paper, const std::vector<std::string>& feed_categories,
          const FilteringConfig& filtering) {
  if (!Contains(filtering.announce_types, paper.announce_type)) return false;
  if (!filtering.force_primary || paper.categories.empty()) return true;
  return Contains(feed_categories, paper.categories.front());
}

}  // namespace

Selection SelectPapers(const std::vector<FetchedFeed>& feeds,
                       const FilteringConfig& filtering) {
  Selection selection;
  std::set<std::string> seen;
  for (const FetchedFeed& fetched : feeds) {
    if (selection.date.empty()) selection.date = fetched.feed.date;
    std::vector<std::string> feed_categories =
        SplitCategoryEntry(fetched.category);
    selection.total_items += static_cast<int64_t>(fetched.feed.items.size());
    for (const Paper& item : fetched.feed.items) {
      if (!Keep(item, feed_categories, filtering)) continue;
      ++selection.scanned_papers;
      if (!seen.insert(item.arxiv_id).second) continue;
      Paper paper = item;
      paper.feed = fetched.category;
      paper.position = static_cast<int64_t>(selection.papers.size());
      selection.papers.push_back(std::move(paper));
    }
  }
  return selection;
}

}  // namespace arxiv_digest
