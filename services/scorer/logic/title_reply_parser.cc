#include "services/scorer/logic/title_reply_parser.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "lib/core/ids.h"
#include "services/scorer/logic/reply_parser.h"

namespace arxiv_digest {
namespace {

// Quotes of any kind a model may wrap ids in, and list punctuation left
// over after splitting on commas.
bool IsDecoration(char c) {
  return c == '"' || c == '\'' || c == '`' || c == ' ' || c == '\t' ||
         c == '\r' || c == '\n';
}

absl::string_view StripDecoration(absl::string_view item) {
  while (!item.empty() && IsDecoration(item.front())) item.remove_prefix(1);
  while (!item.empty() && IsDecoration(item.back())) item.remove_suffix(1);
  return item;
}

TitleReply ParseList(absl::string_view inner) {
  TitleReply out;
  for (absl::string_view raw : absl::StrSplit(inner, ',')) {
    absl::string_view item = StripDecoration(raw);
    if (item.empty()) continue;
    const std::string id =
        NormalizeArxivId(std::string_view(item.data(), item.size()));
    if (ArxivId::Parse(id).ok()) {
      out.ids.push_back(id);
    } else {
      out.ignored.emplace_back(item.substr(0, 80));
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<TitleReply> ParseTitleReply(std::string_view reply_text) {
  const absl::string_view text(reply_text.data(), reply_text.size());
  std::optional<TitleReply> first;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find('[', pos);
    if (open == absl::string_view::npos) break;
    const size_t close = text.find(']', open + 1);
    if (close == absl::string_view::npos) break;
    // A '[' inside the region starts the innermost list instead (e.g. a
    // markdown link before the list).
    const size_t inner_open = text.rfind('[', close);
    TitleReply list =
        ParseList(text.substr(inner_open + 1, close - inner_open - 1));
    if (!list.ids.empty()) return list;
    if (!first) first = std::move(list);
    pos = close + 1;
  }
  if (first) return *std::move(first);
  return absl::InvalidArgumentError(
      absl::StrCat("title reply is not a list of arXiv ids: ",
                   absl::StripAsciiWhitespace(text.substr(0, 200))));
}

}  // namespace arxiv_digest
