#include "services/publisher/adapters/slack_bot_sink.h"

#include "absl/strings/str_cat.h"
#include "lib/json/json_util.h"
#include "lib/log/log.h"

namespace arxiv_digest {

SlackBotSink::SlackBotSink(HttpClient& http, SlackBotSinkOptions options,
                           Clock& clock)
    : options_(std::move(options)),
      url_(absl::StrCat(options_.api_base_url, "/chat.postMessage")),
      http_(http,
            CappedRetryPolicy(options_.max_attempts, options_.initial_backoff,
                              options_.max_backoff),
            clock, Observer()) {}

RetryObserver SlackBotSink::Observer() {
  RetryObserver observer;
  observer.on_attempt = [this](const std::string&, double) { ++attempts_; };
  observer.on_retry = [](int attempt, const RetryDecision& decision) {
    LogWarning("slack chat.postMessage failed; retrying",
               {{"attempt", std::to_string(attempt)},
                {"error", decision.why},
                {"wait_ms", std::to_string(decision.delay.count())}});
  };
  return observer;
}

absl::StatusOr<std::string> SlackBotSink::Post(const SlackMessage& message,
                                               const std::string& thread_ts) {
  HttpRequest request;
  request.method = "POST";
  request.url = url_;
  request.content_type = "application/json; charset=utf-8";
  request.headers.emplace_back("Authorization",
                               absl::StrCat("Bearer ", options_.token));
  request.body = ChatPostMessageBody(message, options_.channel, thread_ts);
  attempts_ = 0;
  absl::StatusOr<HttpResponse> response = http_.Send(request);
  const std::string where = absl::StrCat("slack-bot: POST ", url_);
  if (!response.ok()) {
    // Transport errors may quote the request; keep only the code.
    return absl::UnavailableError(absl::StrCat(
        where, ": giving up after ", attempts_, " attempts: transport error (",
        absl::StatusCodeToString(response.status().code()), ")"));
  }
  if (response->status < 200 || response->status >= 300) {
    const bool retryable = IsRetryableOutcome(ClassifyOutcome(response));
    std::string text = absl::StrCat(where, ": HTTP ", response->status);
    if (retryable) {
      absl::StrAppend(&text, " after ", attempts_, " attempts");
      return absl::UnavailableError(text);
    }
    return absl::FailedPreconditionError(text);
  }
  absl::StatusOr<rapidjson::Document> doc = ParseJson(response->body);
  if (!doc.ok() || !doc->IsObject()) {
    return absl::UnavailableError(absl::StrCat(where, ": HTTP ",
                                               response->status,
                                               " with a body that "
                                               "is not a JSON object"));
  }
  if (!GetBool(*doc, "ok").value_or(false)) {
    // Slack names the problem: invalid_auth, channel_not_found,
    // not_in_channel, msg_too_long, ...
    return absl::FailedPreconditionError(
        absl::StrCat(where, ": Slack error '",
                     GetString(*doc, "error").value_or("unknown"), "'"));
  }
  std::optional<std::string> ts = GetString(*doc, "ts");
  if (!ts || ts->empty()) {
    return absl::UnavailableError(
        absl::StrCat(where, ": the answer has no message ts"));
  }
  return *ts;
}

absl::Status SlackBotSink::Deliver(const PublishedDigest& digest) {
  if (options_.token.empty() || options_.channel.empty()) {
    return absl::FailedPreconditionError(
        "slack-bot: no bot token or channel configured");
  }
  if (digest.ranked.empty()) {
    if (!options_.notify_empty) return absl::OkStatus();
    return Post(SlackEmptyNotice(digest, options_.messages), "").status();
  }
  absl::StatusOr<std::string> ts =
      Post(SlackHeaderMessage(digest, options_.messages), "");
  if (!ts.ok()) return ts.status();
  const std::vector<SlackMessage> replies =
      SlackThreadReplies(digest, options_.messages);
  for (size_t i = 0; i < replies.size(); ++i) {
    absl::StatusOr<std::string> reply = Post(replies[i], *ts);
    if (!reply.ok()) {
      return absl::Status(
          reply.status().code(),
          absl::StrCat(reply.status().message(), " (thread reply ", i + 1,
                       " of ", replies.size(), "; ", i, " posted)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace arxiv_digest
