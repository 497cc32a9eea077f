#include "services/publisher/adapters/smtp_sink.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "lib/log/log.h"

namespace arxiv_digest {
namespace {

// Base64 in 76-character lines (RFC 2045).
std::string Base64Lines(const std::string& data) {
  std::string b64 = absl::Base64Escape(data);
  std::string out;
  for (size_t i = 0; i < b64.size(); i += 76) {
    absl::StrAppend(&out, b64.substr(i, 76), "\r\n");
  }
  return out;
}

// Header values must not smuggle in new header lines.
std::string HeaderSafe(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

class SmtpConnection {
 public:
  explicit SmtpConnection(std::chrono::milliseconds timeout)
      : timeout_(timeout) {}
  ~SmtpConnection() {
    if (fd_ >= 0) close(fd_);
  }

  absl::Status Connect(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints,
                             &res);
        rc != 0) {
      return absl::UnavailableError(
          absl::StrCat("smtp: cannot resolve ", host, ": ", gai_strerror(rc)));
    }
    absl::Status last = absl::UnavailableError("smtp: no address");
    for (addrinfo* a = res; a != nullptr; a = a->ai_next) {
      int fd =
          socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
      if (fd < 0) continue;
      timeval tv{static_cast<time_t>(timeout_.count() / 1000),
                 static_cast<suseconds_t>((timeout_.count() % 1000) * 1000)};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
      if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
        fd_ = fd;
        freeaddrinfo(res);
        return absl::OkStatus();
      }
      last = absl::UnavailableError(absl::StrCat("smtp: cannot connect to ",
                                                 host, ":", port, ": ",
                                                 std::strerror(errno)));
      close(fd);
    }
    freeaddrinfo(res);
    return last;
  }

  absl::Status Write(const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
      ssize_t n =
          send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        return absl::UnavailableError(
            absl::StrCat("smtp: write failed: ", std::strerror(errno)));
      }
      sent += static_cast<size_t>(n);
    }
    return absl::OkStatus();
  }

  // One (possibly multi-line) reply: its code and text.
  absl::StatusOr<std::pair<int, std::string>> ReadReply() {
    std::string text;
    while (true) {
      absl::StatusOr<std::string> line = ReadLine();
      if (!line.ok()) return line.status();
      if (line->size() < 3) {
        return absl::UnavailableError("smtp: malformed reply");
      }
      absl::StrAppend(&text, text.empty() ? "" : " ", *line);
      if (line->size() == 3 || (*line)[3] != '-') {
        int code = std::atoi(line->substr(0, 3).c_str());
        return std::make_pair(code, text);
      }
    }
  }

  // Sends a command (if any) and checks the reply code's first digit.
  absl::Status Expect(const std::string& command, char want,
                      std::string* reply_text = nullptr) {
    if (!command.empty()) {
      if (absl::Status s = Write(command + "\r\n"); !s.ok()) return s;
    }
    absl::StatusOr<std::pair<int, std::string>> reply = ReadReply();
    if (!reply.ok()) return reply.status();
    if (reply_text != nullptr) *reply_text = reply->second;
    if (reply->first / 100 == want - '0') return absl::OkStatus();
    std::string what = command.empty() ? "greeting" : command.substr(0, 4);
    std::string message = absl::StrCat("smtp: ", what, " answered ",
                                       reply->second.substr(0, 200));
    // 4xx: try again later; 5xx: this will not work as configured.
    return reply->first / 100 == 4 ? absl::UnavailableError(message)
                                   : absl::FailedPreconditionError(message);
  }

 private:
  absl::StatusOr<std::string> ReadLine() {
    while (true) {
      size_t eol = buffer_.find("\r\n");
      if (eol != std::string::npos) {
        std::string line = buffer_.substr(0, eol);
        buffer_.erase(0, eol + 2);
        return line;
      }
      if (buffer_.size() > size_t{64} * 1024) {
        return absl::UnavailableError("smtp: reply line too long");
      }
      char chunk[4096];
      ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        return absl::UnavailableError(n == 0 ? "smtp: connection closed"
                                             : "smtp: read timed out");
      }
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace

std::string SmtpDotStuff(const std::string& message) {
  std::string out;
  bool line_start = true;
  for (char c : message) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  return out;
}

std::string BuildDigestEmail(const PublishedDigest& digest,
                             const SmtpSinkOptions& options,
                             const std::string& date,
                             const std::string& message_id) {
  std::string subject = absl::StrCat("arXiv digest ", digest.date);
  if (digest.profile != "default")
    absl::StrAppend(&subject, " (", digest.profile, ")");
  absl::StrAppend(&subject, ": ", digest.ranked.size(), " relevant papers");
  if (digest.version > 1) absl::StrAppend(&subject, " [v", digest.version, "]");
  std::string boundary =
      absl::StrCat("=_arxiv_digest_", message_id.substr(0, 16));
  for (char& c : boundary) {
    if (!isalnum(static_cast<unsigned char>(c)) && c != '=' && c != '_')
      c = '_';
  }
  std::string text = digest.markdown;
  if (!options.digest_base_url.empty()) {
    absl::StrAppend(&text, "\n\nOnline: ", options.digest_base_url, "/p/",
                    digest.profile, "/", digest.date, "\n");
  }
  return absl::StrCat("From: ", HeaderSafe(options.from), "\r\n",
                      "To: ", HeaderSafe(absl::StrJoin(options.to, ", ")),
                      "\r\n", "Subject: ", HeaderSafe(subject), "\r\n",
                      "Date: ", HeaderSafe(date), "\r\n", "Message-ID: <",
                      HeaderSafe(message_id), ">\r\n", "MIME-Version: 1.0\r\n",
                      "Content-Type: multipart/alternative; boundary=\"",
                      boundary, "\"\r\n", "\r\n", "--", boundary, "\r\n",
                      "Content-Type: text/plain; charset=utf-8\r\n",
                      "Content-Transfer-Encoding: base64\r\n\r\n",
                      Base64Lines(text), "--", boundary, "\r\n",
                      "Content-Type: text/html; charset=utf-8\r\n",
                      "Content-Transfer-Encoding: base64\r\n\r\n",
                      Base64Lines(digest.html), "--", boundary, "--\r\n");
}

SmtpSink::SmtpSink(SmtpSinkOptions options, Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

absl::Status SmtpSink::SendOnce(const std::string& message) {
  SmtpConnection conn(options_.timeout);
  if (absl::Status s = conn.Connect(options_.host, options_.port); !s.ok()) {
    return s;
  }
  if (absl::Status s = conn.Expect("", '2'); !s.ok()) return s;
  if (absl::Status s = conn.Expect("EHLO " + options_.helo_name, '2');
      !s.ok()) {
    // Very old servers only know HELO.
    if (absl::Status h = conn.Expect("HELO " + options_.helo_name, '2');
        !h.ok()) {
      return h;
    }
  }
  if (absl::Status s = conn.Expect("MAIL FROM:<" + options_.from + ">", '2');
      !s.ok()) {
    return s;
  }
  std::vector<std::string> rejected;
  for (const std::string& rcpt : options_.to) {
    if (absl::Status s = conn.Expect("RCPT TO:<" + rcpt + ">", '2'); !s.ok()) {
      rejected.push_back(rcpt);
    }
  }
  if (rejected.size() == options_.to.size()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "smtp: every recipient was rejected: ", absl::StrJoin(rejected, ", ")));
  }
  if (!rejected.empty()) {
    LogWarning("smtp: some recipients rejected",
               {{"rejected", absl::StrJoin(rejected, ",")}});
  }
  if (absl::Status s = conn.Expect("DATA", '3'); !s.ok()) return s;
  if (absl::Status s = conn.Write(SmtpDotStuff(message) + ".\r\n"); !s.ok()) {
    return s;
  }
  if (absl::Status s = conn.Expect("", '2'); !s.ok()) return s;
  conn.Expect("QUIT", '2').IgnoreError();  // the message is accepted already
  return absl::OkStatus();
}

absl::Status SmtpSink::Deliver(const PublishedDigest& digest) {
  if (options_.from.empty() || options_.to.empty()) {
    return absl::FailedPreconditionError(
        "smtp: smtp_from and smtp_to must be configured");
  }
  std::random_device rd;
  uint64_t unique = (static_cast<uint64_t>(rd()) << 32) | rd();
  std::string message_id =
      absl::StrCat(absl::Hex(unique, absl::kZeroPad16), ".", digest.date, "@",
                   options_.helo_name);
  std::string message = BuildDigestEmail(
      digest, options_,
      absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000",
                       absl::FromChrono(clock_.Now()), absl::UTCTimeZone()),
      message_id);
  absl::Status last;
  for (int attempt = 1; attempt <= std::max(1, options_.max_attempts);
       ++attempt) {
    last = SendOnce(message);
    if (last.ok() || last.code() != absl::StatusCode::kUnavailable) return last;
    if (attempt < options_.max_attempts) {
      LogWarning("smtp delivery failed; retrying",
                 {{"attempt", std::to_string(attempt)},
                  {"error", std::string(last.message())}});
      clock_.SleepFor(options_.backoff * attempt);
    }
  }
  return last;
}

}  // namespace arxiv_digest
