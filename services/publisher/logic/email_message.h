// The e-mail of a published digest (RFC 5322 + MIME): one message,
// multipart/alternative with the Markdown as text/plain and the HTML page
// as text/html, both UTF-8 in base64 (any text and long lines survive), a
// Subject in RFC 2047 encoded words when it is not plain ASCII, Date and
// Message-ID. Pure: sending is in adapters/smtp_sink (libcurl).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/publisher/logic/delivery.h"

namespace arxiv_digest {

struct EmailAddressing {
  std::string from;             // header From (and envelope sender)
  std::vector<std::string> to;  // header To (and envelope recipients)
};

struct EmailContent {
  std::string subject;  // UTF-8, encoded when the message is built
  std::string text;     // text/plain part
  std::string html;     // text/html part
};

// Subject "arXiv digest <date> (<profile>): N relevant papers [vN]", the
// digest's Markdown (plus "Online: <base>/p/<profile>/<date>" when
// `digest_base_url` is set) and its HTML page.
EmailContent DigestEmailContent(const PublishedDigest& digest,
                                std::string_view digest_base_url);

// The short "no papers today" notice (notify_empty).
EmailContent EmptyDigestEmailContent(const PublishedDigest& digest,
                                     std::string_view digest_base_url);

// A header value as is when it is printable ASCII, else RFC 2047 "B"
// encoded words of at most 75 characters (never splitting a UTF-8
// character), folded onto continuation lines.
std::string EncodeHeaderText(std::string_view text);

// RFC 5322 date in UTC: "Mon, 01 Jan 2024 00:00:00 +0000".
std::string FormatEmailDate(std::chrono::system_clock::time_point when);

// "<16 hex>.<date>@<domain of from>" (domain "arxiv-digest.invalid" when
// `from` has none); without the angle brackets.
std::string MakeMessageId(uint64_t unique, std::string_view date,
                          std::string_view from);

// The whole message with CRLF line ends, not dot-stuffed (the SMTP client
// does that). `date` and `message_id` are passed in so tests are exact.
std::string BuildMimeMessage(const EmailContent& content,
                             const EmailAddressing& addressing,
                             std::string_view date,
                             std::string_view message_id);

}  // namespace arxiv_digest
