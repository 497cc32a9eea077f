// Posts a published digest to a Slack incoming webhook: the date, the
// number of relevant papers and the top N with links to arXiv. 429 and 5xx
// answers and transport errors are retried by the shared RetryingHttpClient
// (Retry-After when Slack sends one, capped at max_backoff, else
// exponential backoff); other 4xx fail at once. The webhook URL is a secret:
// it never appears in a status message or a log line. An empty digest posts
// nothing, or a short "no papers today" notice with notify_empty.
#pragma once

#include <chrono>
#include <string>

#include "lib/core/clock.h"
#include "lib/http/http_client.h"
#include "lib/http/retrying_http_client.h"
#include "services/publisher/logic/delivery.h"

namespace arxiv_digest {

struct SlackSinkOptions {
  std::string webhook_url;  // https://hooks.slack.com/services/...
  int top_papers = 10;
  int max_attempts = 4;  // the first one included
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{30000};  // also caps Retry-After
  // When set, the message links the full digest: <base>/p/<profile>/<date>.
  std::string digest_base_url;
  bool notify_empty = false;
};

// The message text (Slack mrkdwn, escaped), for tests and previews; for an
// empty digest the "no papers today" notice.
std::string SlackMessageText(const PublishedDigest& digest,
                             const SlackSinkOptions& options);

class SlackSink : public DigestSink {
 public:
  // `http` is the transport (borrowed); waits between attempts go through
  // `clock`.
  SlackSink(HttpClient& http, SlackSinkOptions options,
            Clock& clock = SystemClock());

  std::string name() const override { return "slack"; }
  absl::Status Deliver(const PublishedDigest& digest) override;

 private:
  // Counts the attempts of a Deliver and logs each retry.
  RetryObserver Observer();

  SlackSinkOptions options_;
  int attempts_ = 0;  // of the current Deliver
  RetryingHttpClient http_;
};

}  // namespace arxiv_digest
