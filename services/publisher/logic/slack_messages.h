// The Slack Web API messages of a published digest, as the Python tool
// posts them (tatsu-lab's push_to_slack.py): a header message with the
// number of papers and the top titles, then a thread under it with one
// reply per paper (title and link, authors, abstract, scores, comment).
// Pure: the chat.postMessage calls are in adapters/slack_bot_sink.
//
// Slack's limits are respected here: a section's text is at most 3000
// characters (abstracts and comments are cut, never the link), a header's
// plain text at most 150, and a message carries few blocks. Lengths are
// counted in UTF-8 bytes, which is never less than Slack's character count.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "services/publisher/logic/delivery.h"
#include "services/publisher/logic/ranking.h"

namespace arxiv_digest {

inline constexpr size_t kSlackMaxSectionText = 3000;
inline constexpr size_t kSlackMaxHeaderText = 150;

struct SlackMessageOptions {
  int top_titles = 10;    // titles in the header message
  int thread_limit = 50;  // papers in the thread (the Python tool's 50)
  // When set, the header links the full digest: <base>/p/<profile>/<date>.
  std::string digest_base_url;
};

// One chat.postMessage payload without channel and thread.
struct SlackMessage {
  std::string text;         // notification fallback (plain)
  std::string blocks_json;  // a JSON array of Block Kit blocks
};

// Slack mrkdwn: &, <, > escaped; '|' (ends a link label) becomes '/';
// line breaks become spaces (titles and abstracts come with hard wraps).
std::string SlackEscape(std::string_view text);

// `text` cut to at most `max_bytes` bytes at a UTF-8 character boundary,
// ending in "…" when cut; never splits an escape such as "&amp;".
std::string TruncateUtf8(std::string_view text, size_t max_bytes);

// The header message: digest date (and profile/version), the paper count
// and the first `top_titles` titles with links and authors.
SlackMessage SlackHeaderMessage(const PublishedDigest& digest,
                                const SlackMessageOptions& options);

// The thread reply for the paper at 1-based `position` in the digest.
SlackMessage SlackPaperReply(const ScoredPaper& paper, int position);

// The replies of the thread: the first `thread_limit` papers.
std::vector<SlackMessage> SlackThreadReplies(
    const PublishedDigest& digest, const SlackMessageOptions& options);

// The short "no papers today" notice (notify_empty).
SlackMessage SlackEmptyNotice(const PublishedDigest& digest,
                              const SlackMessageOptions& options);

// The JSON body of chat.postMessage; `thread_ts` empty = a top-level post.
std::string ChatPostMessageBody(const SlackMessage& message,
                                std::string_view channel,
                                std::string_view thread_ts);

}  // namespace arxiv_digest
