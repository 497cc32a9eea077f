#include "services/publisher/adapters/smtp_sink.h"

#include <algorithm>
#include <random>

#include "lib/log/log.h"
#include "services/publisher/logic/email_message.h"

namespace arxiv_digest {

SmtpSink::SmtpSink(SmtpSinkOptions options, Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

absl::Status SmtpSink::Deliver(const PublishedDigest& digest) {
  if (digest.ranked.empty() && !options_.notify_empty) {
    return absl::OkStatus();  // nothing to say (the Python tool's behaviour)
  }
  const EmailContent content =
      digest.ranked.empty()
          ? EmptyDigestEmailContent(digest, options_.digest_base_url)
          : DigestEmailContent(digest, options_.digest_base_url);
  std::random_device rd;
  const uint64_t unique = (static_cast<uint64_t>(rd()) << 32) | rd();
  const std::string message =
      BuildMimeMessage(content, EmailAddressing{options_.from, options_.to},
                       FormatEmailDate(clock_.Now()),
                       MakeMessageId(unique, digest.date, options_.from));
  const SmtpEnvelope envelope{options_.from, options_.to};
  const int attempts = std::max(1, options_.max_attempts);
  absl::Status last;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    last = SendMailWithCurl(options_.server, envelope, message);
    if (last.ok() || last.code() != absl::StatusCode::kUnavailable) return last;
    if (attempt < attempts) {
      LogWarning("smtp delivery failed; retrying",
                 {{"attempt", std::to_string(attempt)},
                  {"error", std::string(last.message())}});
      clock_.SleepFor(options_.backoff * attempt);
    }
  }
  return last;
}

}  // namespace arxiv_digest
