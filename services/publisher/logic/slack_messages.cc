#include "services/publisher/logic/slack_messages.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/json/json_util.h"

namespace arxiv_digest {
namespace {

// Slack allows 50 blocks per message; the header uses three of them.
constexpr int kMaxHeaderTitles = 47;
constexpr size_t kMaxTitleBytes = 400;
constexpr size_t kMaxAuthorsBytes = 600;
constexpr size_t kMaxCommentBytes = 600;

std::string HeaderBlock(std::string_view plain) {
  return absl::StrCat(R"({"type":"header","text":{"type":"plain_text","text":)",
                      JsonQuote(TruncateUtf8(plain, kSlackMaxHeaderText)),
                      "}}");
}

std::string SectionBlock(std::string_view mrkdwn) {
  return absl::StrCat(R"({"type":"section","text":{"type":"mrkdwn","text":)",
                      JsonQuote(TruncateUtf8(mrkdwn, kSlackMaxSectionText)),
                      "}}");
}

constexpr char kDivider[] = R"({"type":"divider"})";

std::string Blocks(const std::vector<std::string>& blocks) {
  return absl::StrCat("[", absl::StrJoin(blocks, ","), "]");
}

std::string DigestTitle(const PublishedDigest& digest) {
  std::string title = absl::StrCat("arXiv digest ", digest.date);
  if (digest.profile != "default") {
    absl::StrAppend(&title, " (", digest.profile, ")");
  }
  if (digest.version > 1) absl::StrAppend(&title, ", version ", digest.version);
  return title;
}

std::string AbsUrl(const ScoredPaper& sp) {
  return absl::StrCat("https://arxiv.org/abs/", SlackEscape(sp.paper.arxiv_id));
}

// "<abs link|*3. Title*>\n*Authors*: A, B" (the Python tool's title line).
std::string TitleLines(const ScoredPaper& sp, int position) {
  return absl::StrCat(
      "<", AbsUrl(sp), "|*", position, ". ",
      TruncateUtf8(SlackEscape(sp.paper.title), kMaxTitleBytes), "*>\n",
      "*Authors*: ",
      TruncateUtf8(SlackEscape(absl::StrJoin(sp.paper.authors, ", ")),
                   kMaxAuthorsBytes));
}

std::string DigestLink(const PublishedDigest& digest,
                       const SlackMessageOptions& options) {
  if (options.digest_base_url.empty()) return "";
  return absl::StrCat(" <", options.digest_base_url, "/p/",
                      SlackEscape(digest.profile), "/", digest.date,
                      "|Full digest>");
}

}  // namespace

std::string SlackEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '|':
        out += '/';
        break;
      case '\r':
      case '\n':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string TruncateUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  static constexpr char kEllipsis[] = "…";
  constexpr size_t kEllipsisBytes = sizeof(kEllipsis) - 1;
  if (max_bytes < kEllipsisBytes) return "";
  size_t cut = max_bytes - kEllipsisBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;  // inside a multi-byte character
  }
  // An escape like "&amp;" is at most 5 bytes: never leave half of one.
  const size_t from = cut >= 5 ? cut - 5 : 0;
  const size_t amp = text.substr(from, cut - from).rfind('&');
  if (amp != std::string_view::npos &&
      text.substr(from + amp, cut - from - amp).find(';') ==
          std::string_view::npos) {
    cut = from + amp;
  }
  return absl::StrCat(std::string(text.substr(0, cut)), kEllipsis);
}

SlackMessage SlackHeaderMessage(const PublishedDigest& digest,
                                const SlackMessageOptions& options) {
  const int total = static_cast<int>(digest.ranked.size());
  const int in_thread = std::min(total, std::max(0, options.thread_limit));
  std::string summary = absl::StrCat("*", total, " relevant papers*");
  if (in_thread == total) {
    absl::StrAppend(&summary, ", each in the thread below.");
  } else {
    absl::StrAppend(&summary, ", the first ", in_thread,
                    " in the thread below.");
  }
  absl::StrAppend(&summary, DigestLink(digest, options));
  if (!digest.selection_summary.empty()) {
    absl::StrAppend(&summary, "\n_", SlackEscape(digest.selection_summary),
                    "_");
  }
  std::vector<std::string> blocks = {HeaderBlock(DigestTitle(digest)),
                                     SectionBlock(summary), kDivider};
  const int titles =
      std::min({total, std::max(0, options.top_titles), kMaxHeaderTitles});
  for (int i = 0; i < titles; ++i) {
    blocks.push_back(SectionBlock(TitleLines(digest.ranked[i], i + 1)));
  }
  return SlackMessage{
      absl::StrCat(DigestTitle(digest), ": ", total, " relevant papers"),
      Blocks(blocks)};
}

SlackMessage SlackPaperReply(const ScoredPaper& sp, int position) {
  const std::string head = absl::StrCat(TitleLines(sp, position), "\n\n");
  std::string tail = "\n\n";
  if (sp.score.author_match) {
    absl::StrAppend(&tail, "*Followed author*");
  } else {
    absl::StrAppend(&tail, "*Relevance*: ", sp.score.relevance,
                    "\t*Novelty*: ", sp.score.novelty);
  }
  if (!sp.score.comment.empty()) {
    absl::StrAppend(
        &tail, "\t*Comment*: ",
        TruncateUtf8(SlackEscape(sp.score.comment), kMaxCommentBytes));
  }
  const std::string kAbstract = "*Abstract*: ";
  // head and tail are bounded (title, authors and comment are cut), so the
  // abstract always has room; it is the part that gets shortened.
  const size_t used = head.size() + tail.size() + kAbstract.size();
  const size_t budget =
      used < kSlackMaxSectionText ? kSlackMaxSectionText - used : 0;
  std::string text =
      absl::StrCat(head, kAbstract,
                   TruncateUtf8(SlackEscape(sp.paper.abstract), budget), tail);
  return SlackMessage{
      TruncateUtf8(absl::StrCat(position, ". ", sp.paper.title), 1000),
      Blocks({SectionBlock(text)})};
}

std::vector<SlackMessage> SlackThreadReplies(
    const PublishedDigest& digest, const SlackMessageOptions& options) {
  std::vector<SlackMessage> out;
  const int n = std::min(static_cast<int>(digest.ranked.size()),
                         std::max(0, options.thread_limit));
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    out.push_back(SlackPaperReply(digest.ranked[i], i + 1));
  }
  return out;
}

SlackMessage SlackEmptyNotice(const PublishedDigest& digest,
                              const SlackMessageOptions& options) {
  const std::string text = absl::StrCat("No papers passed the cut-offs today.",
                                        DigestLink(digest, options));
  return SlackMessage{
      absl::StrCat(DigestTitle(digest), ": no papers today"),
      Blocks({HeaderBlock(DigestTitle(digest)), SectionBlock(text)})};
}

std::string ChatPostMessageBody(const SlackMessage& message,
                                std::string_view channel,
                                std::string_view thread_ts) {
  std::string body =
      absl::StrCat("{\"channel\":", JsonQuote(channel),
                   ",\"text\":", JsonQuote(message.text),
                   ",\"blocks\":", message.blocks_json,
                   ",\"unfurl_links\":false,\"unfurl_media\":false");
  if (!thread_ts.empty()) {
    absl::StrAppend(&body, ",\"thread_ts\":", JsonQuote(thread_ts));
  }
  absl::StrAppend(&body, "}");
  return body;
}

}  // namespace arxiv_digest
