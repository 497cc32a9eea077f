#include "services/publisher/adapters/slack_sink.h"

#include <algorithm>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/json/json_util.h"
#include "lib/log/log.h"

namespace arxiv_digest {
namespace {

// Slack's mrkdwn control characters; '|' would end a link label.
std::string SlackEscape(std::string_view text) {
  std::string out;
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
        out += "/";
        break;
      case '\n':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string SlackMessageText(const PublishedDigest& digest,
                             const SlackSinkOptions& options) {
  std::string text = absl::StrCat("*arXiv digest ", digest.date, "*");
  if (digest.profile != "default") {
    absl::StrAppend(&text, " (", SlackEscape(digest.profile), ")");
  }
  if (digest.version > 1) absl::StrAppend(&text, ", version ", digest.version);
  absl::StrAppend(&text, ": ", digest.ranked.size(), " relevant papers");
  int shown = 0;
  for (const ScoredPaper& sp : digest.ranked) {
    if (shown == options.top_papers) break;
    ++shown;
    absl::StrAppend(&text, "\n", shown, ". <https://arxiv.org/abs/",
                    SlackEscape(sp.paper.arxiv_id), "|",
                    SlackEscape(sp.paper.title), ">");
    if (sp.score.author_match) {
      absl::StrAppend(&text, " (followed author)");
    } else {
      absl::StrAppend(&text, " (relevance ", sp.score.relevance, ", novelty ",
                      sp.score.novelty, ")");
    }
  }
  if (static_cast<int>(digest.ranked.size()) > shown) {
    absl::StrAppend(&text, "\n…and ", digest.ranked.size() - shown, " more");
  }
  if (!options.digest_base_url.empty()) {
    absl::StrAppend(&text, "\n<", options.digest_base_url, "/p/",
                    SlackEscape(digest.profile), "/", digest.date,
                    "|Full digest>");
  }
  return text;
}

SlackSink::SlackSink(HttpClient& http, SlackSinkOptions options, Sleeper sleep)
    : http_(http), options_(std::move(options)), sleep_(std::move(sleep)) {
  if (!sleep_) {
    sleep_ = [](std::chrono::milliseconds d) {
      std::this_thread::sleep_for(d);
    };
  }
}

absl::Status SlackSink::Deliver(const PublishedDigest& digest) {
  if (options_.webhook_url.empty()) {
    return absl::FailedPreconditionError("slack: no webhook URL configured");
  }
  HttpRequest request;
  request.method = "POST";
  request.url = options_.webhook_url;
  request.content_type = "application/json";
  request.body =
      absl::StrCat("{\"text\":", JsonQuote(SlackMessageText(digest, options_)),
                   ",\"unfurl_links\":false}");
  std::chrono::milliseconds backoff = options_.initial_backoff;
  std::string last_error;
  for (int attempt = 1; attempt <= std::max(1, options_.max_attempts);
       ++attempt) {
    absl::StatusOr<HttpResponse> response = http_.Send(request);
    std::chrono::milliseconds wait = backoff;
    if (!response.ok()) {
      // Transport errors may quote the URL; keep only the code.
      last_error =
          absl::StrCat("transport error (",
                       absl::StatusCodeToString(response.status().code()), ")");
    } else if (response->status >= 200 && response->status < 300) {
      return absl::OkStatus();
    } else if (response->status == 429 || response->status >= 500) {
      last_error = absl::StrCat("HTTP ", response->status);
      int seconds = 0;
      if (response->status == 429 &&
          absl::SimpleAtoi(response->Header("retry-after"), &seconds) &&
          seconds >= 0) {
        wait = std::chrono::seconds(seconds);
      }
    } else {
      return absl::FailedPreconditionError(
          absl::StrCat("slack: webhook answered HTTP ", response->status, ": ",
                       response->body.substr(0, 200)));
    }
    if (attempt == options_.max_attempts) break;
    wait = std::min(wait, options_.max_backoff);
    LogWarning("slack delivery failed; retrying",
               {{"attempt", std::to_string(attempt)},
                {"error", last_error},
                {"wait_ms", std::to_string(wait.count())}});
    sleep_(wait);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
  return absl::UnavailableError(absl::StrCat("slack: giving up after ",
                                             options_.max_attempts,
                                             " attempts: ", last_error));
}

}  // namespace arxiv_digest
