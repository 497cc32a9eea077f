#include "services/publisher/adapters/slack_sink.h"

#include "absl/strings/str_cat.h"
#include "lib/json/json_util.h"
#include "lib/log/log.h"
#include "services/publisher/logic/slack_messages.h"

namespace arxiv_digest {

std::string SlackMessageText(const PublishedDigest& digest,
                             const SlackSinkOptions& options) {
  std::string text = absl::StrCat("*arXiv digest ", digest.date, "*");
  if (digest.profile != "default") {
    absl::StrAppend(&text, " (", SlackEscape(digest.profile), ")");
  }
  if (digest.version > 1) absl::StrAppend(&text, ", version ", digest.version);
  if (digest.ranked.empty()) {
    absl::StrAppend(&text, ": no papers today");
  } else {
    absl::StrAppend(&text, ": ", digest.ranked.size(), " relevant papers");
  }
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

namespace {

// Transport errors may quote the URL (a secret): keep only the code.
std::string AttemptError(const absl::StatusOr<HttpResponse>& response) {
  if (!response.ok()) {
    return absl::StrCat("transport error (",
                        absl::StatusCodeToString(response.status().code()),
                        ")");
  }
  return absl::StrCat("HTTP ", response->status);
}

}  // namespace

SlackSink::SlackSink(HttpClient& http, SlackSinkOptions options, Clock& clock)
    : options_(std::move(options)),
      http_(http,
            CappedRetryPolicy(options_.max_attempts, options_.initial_backoff,
                              options_.max_backoff),
            clock, Observer()) {}

RetryObserver SlackSink::Observer() {
  RetryObserver observer;
  observer.on_attempt = [this](const std::string&, double) { ++attempts_; };
  observer.on_retry = [](int attempt, const RetryDecision& decision) {
    // A transport error's text quotes the request URL, a secret here.
    const bool http = decision.why.rfind("HTTP ", 0) == 0;
    LogWarning("slack delivery failed; retrying",
               {{"attempt", std::to_string(attempt)},
                {"error", http ? decision.why : "transport error"},
                {"wait_ms", std::to_string(decision.delay.count())}});
  };
  return observer;
}

absl::Status SlackSink::Deliver(const PublishedDigest& digest) {
  if (options_.webhook_url.empty()) {
    return absl::FailedPreconditionError("slack: no webhook URL configured");
  }
  if (digest.ranked.empty() && !options_.notify_empty) {
    return absl::OkStatus();  // nothing to say (the Python tool's behaviour)
  }
  HttpRequest request;
  request.method = "POST";
  request.url = options_.webhook_url;
  request.secret_path = true;  // the webhook URL is the credential
  request.content_type = "application/json";
  request.body =
      absl::StrCat("{\"text\":", JsonQuote(SlackMessageText(digest, options_)),
                   ",\"unfurl_links\":false}");
  attempts_ = 0;
  absl::StatusOr<HttpResponse> response = http_.Send(request);
  if (response.ok() && response->status >= 200 && response->status < 300) {
    return absl::OkStatus();
  }
  const bool retryable = IsRetryableOutcome(ClassifyOutcome(response));
  if (response.ok() && !retryable) {
    return absl::FailedPreconditionError(
        absl::StrCat("slack: webhook answered HTTP ", response->status, ": ",
                     response->body.substr(0, 200)));
  }
  return absl::UnavailableError(
      absl::StrCat("slack: giving up after ", attempts_,
                   " attempts: ", AttemptError(response)));
}

}  // namespace arxiv_digest
