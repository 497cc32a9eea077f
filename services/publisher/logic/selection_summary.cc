#include "services/publisher/logic/selection_summary.h"

#include <array>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace arxiv_digest {
namespace {

namespace stage = contract::fate_stage;

// The stages that drop papers, in the order they run (the scorer's as in
// contract::fate_stage::kInRunOrder, then the publisher's), as a reader
// reads them after "dropped by".
constexpr std::array<std::pair<const char*, const char*>, 9> kDroppedBy = {{
    {stage::kHIndex, "the h-index stage"},
    {stage::kPrefilter, "the lexical pre-filter"},
    {stage::kCache, "their earlier scores"},
    {stage::kTitle, "the title stage"},
    {stage::kAbstract, "their scores"},
    {final_stage::kCutoff, "the cut-offs"},
    {stage::kUnscored, "unscored (no usable reply)"},
    {final_stage::kUnreadable, "unreadable records"},
    {final_stage::kNoRecord, "no record"},
}};

}  // namespace

std::string SelectionSummary(const std::vector<FinalFate>& fates) {
  if (fates.empty()) return "";
  int64_t in_digest = 0;
  std::map<std::string, int64_t> dropped;
  for (const FinalFate& f : fates) {
    if (f.in_digest) {
      ++in_digest;
    } else {
      ++dropped[f.stage];
    }
  }
  std::vector<std::string> parts;
  for (const auto& [name, words] : kDroppedBy) {
    auto it = dropped.find(std::string(name));
    if (it == dropped.end()) continue;
    parts.push_back(absl::StrCat(
        it->second, parts.empty() ? " dropped by " : " by ", words));
    dropped.erase(it);
  }
  // A stage a newer scorer records and this publisher does not know yet.
  for (const auto& [name, count] : dropped) {
    parts.push_back(
        absl::StrCat(count, parts.empty() ? " dropped by " : " by ", name));
  }
  std::string out = absl::StrCat(
      "How the ", fates.size(),
      fates.size() == 1 ? " paper was" : " papers were", " selected: ");
  if (!parts.empty()) absl::StrAppend(&out, absl::StrJoin(parts, ", "), "; ");
  absl::StrAppend(&out, in_digest, " in this digest.");
  return out;
}

}  // namespace arxiv_digest
