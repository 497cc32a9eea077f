// SmtpSink against a tiny SMTP server on loopback that records each
// transaction: envelope, several recipients, the DATA (MIME parts decoded
// back), dot-stuffing, rejected recipients and transient failures.
#include "services/publisher/adapters/smtp_sink.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/support/fake_clock.h"

namespace arxiv_digest {
namespace {

struct Transaction {
  std::string helo, mail_from;
  std::vector<std::string> rcpt_to;
  std::string data;  // as received, dot-stuffing undone
};

class SmtpTestServer {
 public:
  SmtpTestServer() {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(listen_fd_, 8);
    thread_ = std::thread([this] { Loop(); });
  }
  ~SmtpTestServer() {
    stop_ = true;
    shutdown(listen_fd_, SHUT_RDWR);
    close(listen_fd_);
    thread_.join();
  }

  int port() const { return port_; }
  void RejectRecipient(const std::string& r) {
    std::lock_guard<std::mutex> l(mu_);
    rejected_.insert(r);
  }
  // The next `n` connections get "421 busy" as greeting.
  void FailGreetings(int n) { fail_greetings_ = n; }
  std::vector<Transaction> transactions() {
    std::lock_guard<std::mutex> l(mu_);
    return done_;
  }
  int connections() const { return connections_; }

 private:
  void Loop() {
    while (!stop_) {
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      ++connections_;
      Serve(fd);
      close(fd);
    }
  }

  static void Send(int fd, const std::string& s) {
    ::send(fd, s.data(), s.size(), MSG_NOSIGNAL);
  }

  void Serve(int fd) {
    if (fail_greetings_ > 0) {
      --fail_greetings_;
      Send(fd, "421 busy, try later\r\n");
      return;
    }
    Send(fd, "220 test.local ESMTP\r\n");
    std::string buffer;
    Transaction t;
    bool in_data = false;
    char chunk[4096];
    while (true) {
      size_t eol;
      while ((eol = buffer.find("\r\n")) == std::string::npos) {
        ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
        if (n <= 0) return;
        buffer.append(chunk, static_cast<size_t>(n));
      }
      std::string line = buffer.substr(0, eol);
      buffer.erase(0, eol + 2);
      if (in_data) {
        if (line == ".") {
          in_data = false;
          {
            std::lock_guard<std::mutex> l(mu_);
            done_.push_back(t);
          }
          Send(fd, "250 2.0.0 queued\r\n");
          continue;
        }
        if (!line.empty() && line[0] == '.') line.erase(0, 1);
        absl::StrAppend(&t.data, line, "\r\n");
        continue;
      }
      if (absl::StartsWith(line, "EHLO ")) {
        t.helo = line.substr(5);
        Send(fd, "250-test.local\r\n250-SIZE 10000000\r\n250 8BITMIME\r\n");
      } else if (absl::StartsWith(line, "MAIL FROM:")) {
        t.mail_from = line.substr(10);
        Send(fd, "250 ok\r\n");
      } else if (absl::StartsWith(line, "RCPT TO:")) {
        std::string rcpt = line.substr(8);
        bool reject;
        {
          std::lock_guard<std::mutex> l(mu_);
          reject = rejected_.count(rcpt) > 0;
        }
        if (reject) {
          Send(fd, "550 5.1.1 no such user\r\n");
        } else {
          t.rcpt_to.push_back(rcpt);
          Send(fd, "250 ok\r\n");
        }
      } else if (line == "DATA") {
        in_data = true;
        Send(fd, "354 go ahead\r\n");
      } else if (line == "QUIT") {
        Send(fd, "221 bye\r\n");
        return;
      } else {
        Send(fd, "502 unknown\r\n");
      }
    }
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> fail_greetings_{0};
  std::atomic<int> connections_{0};
  std::mutex mu_;
  std::set<std::string> rejected_;
  std::vector<Transaction> done_;
};

// The decoded body of the MIME part with this content type.
std::string Part(const std::string& data, const std::string& type) {
  size_t at = data.find("Content-Type: " + type);
  if (at == std::string::npos) return "";
  size_t body = data.find("\r\n\r\n", at);
  size_t end = data.find("\r\n--", body);
  std::string b64 = data.substr(body + 4, end - body - 4);
  b64.erase(std::remove(b64.begin(), b64.end(), '\r'), b64.end());
  b64.erase(std::remove(b64.begin(), b64.end(), '\n'), b64.end());
  std::string out;
  absl::Base64Unescape(b64, &out);
  return out;
}

PublishedDigest MakeDigest() {
  PublishedDigest d;
  d.profile = "alice";
  d.date = "2025-04-08";
  d.version = 2;
  d.markdown =
      "# Personalized Daily Arxiv Paper 2025-04-08\n.starts with a "
      "dot\nÜnïcode ✓";
  d.html =
      "<html><body><h1>Digest</h1><a "
      "href=\"https://arxiv.org/abs/2504.00001\">x</a></body></html>";
  d.ranked.resize(3);
  return d;
}

class SmtpSinkTest : public ::testing::Test {
 protected:
  SmtpSinkOptions Options() {
    SmtpSinkOptions o;
    o.host = "127.0.0.1";
    o.port = server_.port();
    o.from = "digest@example.org";
    o.to = {"ada@example.org", "alan@example.org", "grace@example.org"};
    o.timeout = std::chrono::seconds(5);
    o.digest_base_url = "https://digest.example.org";
    return o;
  }
  SmtpSink Sink(SmtpSinkOptions o) { return SmtpSink(o, clock_); }
  const std::vector<std::chrono::milliseconds>& sleeps() const {
    return clock_.sleeps();
  }

  SmtpTestServer server_;
  FakeClock clock_;
};

TEST_F(SmtpSinkTest, DeliversOneMessageToEveryRecipient) {
  absl::Status s = Sink(Options()).Deliver(MakeDigest());
  ASSERT_TRUE(s.ok()) << s;
  auto t = server_.transactions();
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].helo, "arxiv-digest");
  EXPECT_EQ(t[0].mail_from, "<digest@example.org>");
  EXPECT_EQ(t[0].rcpt_to,
            (std::vector<std::string>{"<ada@example.org>", "<alan@example.org>",
                                      "<grace@example.org>"}));
  const std::string& data = t[0].data;
  EXPECT_NE(data.find("From: digest@example.org\r\n"), std::string::npos);
  EXPECT_NE(
      data.find("To: ada@example.org, alan@example.org, grace@example.org\r\n"),
      std::string::npos);
  EXPECT_NE(data.find("Subject: arXiv digest 2025-04-08 (alice): 3 relevant "
                      "papers [v2]\r\n"),
            std::string::npos)
      << data;
  EXPECT_NE(data.find("MIME-Version: 1.0\r\n"), std::string::npos);
  // The Date header comes from the injected clock (FakeClock's start).
  EXPECT_NE(data.find("Date: Mon, 01 Jan 2024 00:00:00 +0000\r\n"),
            std::string::npos)
      << data;
  EXPECT_NE(data.find("Content-Type: multipart/alternative"),
            std::string::npos);
  std::string text = Part(data, "text/plain");
  EXPECT_TRUE(absl::StartsWith(text, MakeDigest().markdown)) << text;
  EXPECT_NE(text.find("Online: https://digest.example.org/p/alice/2025-04-08"),
            std::string::npos);
  EXPECT_EQ(Part(data, "text/html"), MakeDigest().html);
}

TEST_F(SmtpSinkTest, DotStuffingAndHeaders) {
  EXPECT_EQ(SmtpDotStuff(".a\r\nb.\r\n.\r\n..c"), "..a\r\nb.\r\n..\r\n...c");
  SmtpSinkOptions o = Options();
  std::string msg = BuildDigestEmail(MakeDigest(), o,
                                     "Tue, 08 Apr 2025 07:00:00 +0000", "id@x");
  EXPECT_EQ(msg.find("\r\n.\r\n"), std::string::npos);
  EXPECT_NE(msg.find("Date: Tue, 08 Apr 2025 07:00:00 +0000\r\n"),
            std::string::npos);
  EXPECT_NE(msg.find("Message-ID: <id@x>\r\n"), std::string::npos);
  // Header injection through configured values is neutralised.
  o.from = "a@b\r\nBcc: evil@x";
  msg = BuildDigestEmail(MakeDigest(), o, "d", "id@x");
  EXPECT_EQ(msg.find("\r\nBcc:"), std::string::npos);
}

TEST_F(SmtpSinkTest, RejectedRecipientIsSkippedOthersGetIt) {
  server_.RejectRecipient("<alan@example.org>");
  ASSERT_TRUE(Sink(Options()).Deliver(MakeDigest()).ok());
  auto t = server_.transactions();
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].rcpt_to.size(), 2u);
}

TEST_F(SmtpSinkTest, AllRecipientsRejectedIsPermanentError) {
  SmtpSinkOptions o = Options();
  o.to = {"alan@example.org"};
  server_.RejectRecipient("<alan@example.org>");
  absl::Status s = Sink(o).Deliver(MakeDigest());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(server_.transactions().empty());
  EXPECT_TRUE(sleeps().empty());
}

TEST_F(SmtpSinkTest, TransientGreetingFailureIsRetried) {
  server_.FailGreetings(2);
  ASSERT_TRUE(Sink(Options()).Deliver(MakeDigest()).ok());
  EXPECT_EQ(server_.connections(), 3);
  EXPECT_EQ(sleeps().size(), 2u);
  EXPECT_EQ(server_.transactions().size(), 1u);
}

TEST_F(SmtpSinkTest, UnreachableServerIsUnavailable) {
  SmtpSinkOptions o = Options();
  o.port = 1;
  o.max_attempts = 2;
  absl::Status s = Sink(o).Deliver(MakeDigest());
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(sleeps().size(), 1u);
}

}  // namespace
}  // namespace arxiv_digest
