// Sends one e-mail through libcurl's SMTP client: STARTTLS required
// (CURLUSESSL_ALL), implicit TLS (smtps://, port 465) or plain (a relay on
// a trusted network); AUTH (curl picks LOGIN or PLAIN from what the server
// offers) when a user name is set; the server's certificate always
// verified, against the system store or an extra CA file (tests).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace arxiv_digest {

enum class SmtpSecurity { kStartTls, kImplicitTls, kNone };

// "starttls", "tls" or "none" ([DELIVERY] smtp_security).
absl::StatusOr<SmtpSecurity> ParseSmtpSecurity(std::string_view value);

struct SmtpServerOptions {
  std::string host = "127.0.0.1";
  int port = 25;
  SmtpSecurity security = SmtpSecurity::kStartTls;
  std::string username;  // empty = no AUTH
  std::string password;  // a secret: never in a message or log line
  // PEM file of extra trust anchors (a test's self-signed certificate);
  // empty = the system's CA store. Verification is never turned off.
  std::string ca_file;
  std::string helo_name = "arxiv-digest";  // the EHLO argument
  std::chrono::milliseconds connect_timeout{15000};
  std::chrono::milliseconds timeout{60000};  // the whole transaction
};

struct SmtpEnvelope {
  std::string from;
  std::vector<std::string> to;  // rejected ones are skipped if one passes
};

// The server's URL as errors name it (no credentials): smtp://host:port.
std::string SmtpServerUrl(const SmtpServerOptions& server);

// One SMTP transaction. `message` is the RFC 5322 text with CRLF line ends
// (curl dot-stuffs it). Errors start with "smtp: <url>: " and say what
// failed: Unavailable for what may pass later (no connection, timeouts, 4xx
// replies), FailedPrecondition for what will not as configured (no
// STARTTLS offered, certificate not trusted, AUTH refused, 5xx replies).
absl::Status SendMailWithCurl(const SmtpServerOptions& server,
                              const SmtpEnvelope& envelope,
                              std::string_view message);

}  // namespace arxiv_digest
