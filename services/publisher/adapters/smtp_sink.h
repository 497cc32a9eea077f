// E-mails a published digest to several recipients: one MIME message
// (logic/email_message.h) sent through libcurl (curl_smtp_transport.h) with
// STARTTLS or implicit TLS and AUTH, as hosted providers require; or plain
// to a relay on a trusted network (smtp_security = none, no AUTH).
// Transient failures (no connection, timeouts, 4xx replies) are retried
// with a growing pause; permanent ones (5xx, TLS or AUTH refused) are not.
// An empty digest sends nothing, or a short notice with notify_empty.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "lib/core/clock.h"
#include "services/publisher/adapters/curl_smtp_transport.h"
#include "services/publisher/logic/delivery.h"

namespace arxiv_digest {

struct SmtpSinkOptions {
  SmtpServerOptions server;     // host, port, security, AUTH, CA, timeouts
  std::string from;             // envelope and header From
  std::vector<std::string> to;  // envelope and header To
  int max_attempts = 3;
  std::chrono::milliseconds backoff{5000};  // times the attempt number
  std::string digest_base_url;              // optional link in the text part
  bool notify_empty = false;  // a "no papers today" notice for empty digests
};

class SmtpSink : public DigestSink {
 public:
  // Waits between attempts and the Date header go through `clock`.
  explicit SmtpSink(SmtpSinkOptions options, Clock& clock = SystemClock());

  std::string name() const override { return "smtp"; }
  absl::Status Deliver(const PublishedDigest& digest) override;

 private:
  SmtpSinkOptions options_;
  Clock& clock_;
};

}  // namespace arxiv_digest
