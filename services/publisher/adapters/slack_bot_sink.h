// Posts a published digest with a Slack bot token, as the Python tool does
// (SLACK_KEY, SLACK_CHANNEL_ID): chat.postMessage with a header message
// listing the top titles, then one threaded reply per paper (thread_ts =
// the header's ts). Messages are built in logic/slack_messages.h.
//
// 429 (Retry-After, capped at max_backoff), 5xx and transport errors are
// retried by the shared RetryingHttpClient; Slack's {"ok":false,"error":...}
// answers fail at once with Slack's error named. The token is a secret: it
// only travels in the Authorization header, never in a status or log line.
#pragma once

#include <chrono>
#include <string>

#include "lib/core/clock.h"
#include "lib/http/http_client.h"
#include "lib/http/retrying_http_client.h"
#include "services/publisher/logic/delivery.h"
#include "services/publisher/logic/slack_messages.h"

namespace arxiv_digest {

struct SlackBotSinkOptions {
  std::string api_base_url = "https://slack.com/api";  // tests: a stub
  std::string token;                                   // xoxb-...; a secret
  std::string channel;  // channel id, e.g. C0123456789
  SlackMessageOptions messages;
  bool notify_empty = false;  // "no papers today" for an empty digest
  int max_attempts = 4;       // per message, the first one included
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{30000};  // also caps Retry-After
};

class SlackBotSink : public DigestSink {
 public:
  // `http` is the transport (borrowed); waits go through `clock`.
  SlackBotSink(HttpClient& http, SlackBotSinkOptions options,
               Clock& clock = SystemClock());

  std::string name() const override { return "slack-bot"; }
  // An empty digest posts nothing unless notify_empty. A failed thread
  // reply stops the thread; the error says how many replies were posted.
  absl::Status Deliver(const PublishedDigest& digest) override;

 private:
  // One chat.postMessage; returns the message's ts.
  absl::StatusOr<std::string> Post(const SlackMessage& message,
                                   const std::string& thread_ts);
  RetryObserver Observer();

  SlackBotSinkOptions options_;
  std::string url_;   // <api_base_url>/chat.postMessage
  int attempts_ = 0;  // of the current Post
  RetryingHttpClient http_;
};

}  // namespace arxiv_digest
