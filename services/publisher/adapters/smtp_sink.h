// E-mails a published digest over SMTP to several recipients: one message,
// multipart/alternative with the Markdown as text/plain and the HTML page as
// text/html (both base64, so any UTF-8 and long lines survive).
//
// Plain SMTP to a relay only (e.g. a local postfix or the provider's relay
// on a private network): no STARTTLS and no AUTH, since credentials must
// not cross the network in clear text. Transient failures (connection
// errors, 4xx) are retried; permanent ones (5xx) are not.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "lib/core/clock.h"
#include "services/publisher/logic/delivery.h"

namespace arxiv_digest {

struct SmtpSinkOptions {
  std::string host = "127.0.0.1";
  int port = 25;
  std::string from;             // envelope and header From
  std::vector<std::string> to;  // envelope and header To
  std::string helo_name = "arxiv-digest";
  std::chrono::milliseconds timeout{30000};  // per connect/read/write
  int max_attempts = 3;
  std::chrono::milliseconds backoff{5000};
  std::string digest_base_url;  // optional link in the text part
};

// The RFC 5322 message (CRLF line ends, not yet dot-stuffed). `date` and
// `message_id` are passed in so tests are deterministic.
std::string BuildDigestEmail(const PublishedDigest& digest,
                             const SmtpSinkOptions& options,
                             const std::string& date,
                             const std::string& message_id);

// RFC 5321 4.5.2: a line starting with '.' gets another '.' in DATA.
std::string SmtpDotStuff(const std::string& message);

class SmtpSink : public DigestSink {
 public:
  // Waits between attempts and the Date header go through `clock`.
  SmtpSink(SmtpSinkOptions options, Clock& clock = SystemClock());

  std::string name() const override { return "smtp"; }
  absl::Status Deliver(const PublishedDigest& digest) override;

 private:
  absl::Status SendOnce(const std::string& message);

  SmtpSinkOptions options_;
  Clock& clock_;
};

}  // namespace arxiv_digest
