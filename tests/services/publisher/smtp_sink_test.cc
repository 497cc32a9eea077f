// SmtpSink (libcurl) against a local SMTP server with real TLS
// (tests/support/smtp_test_server.h) that requires STARTTLS before AUTH and
// mail, as hosted providers do: the message arrives with AUTH done over
// TLS; a server without STARTTLS, an untrusted certificate and wrong
// credentials are refused with clear errors; implicit TLS; retries.
#include "services/publisher/adapters/smtp_sink.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/support/fake_clock.h"
#include "tests/support/smtp_test_server.h"

namespace arxiv_digest {
namespace {

using testing::SmtpTestServer;
using testing::SmtpTestServerOptions;
using testing::SmtpTestTls;

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

PublishedDigest MakeDigest(int papers = 3) {
  PublishedDigest d;
  d.profile = "alice";
  d.date = "2025-04-08";
  d.version = 2;
  d.markdown =
      "# Personalized Daily Arxiv Paper 2025-04-08\n.starts with a "
      "dot\n.\nÜnïcode ✓";
  d.html = "<html><body><h1>Digest</h1></body></html>";
  d.ranked.resize(papers);
  return d;
}

class SmtpSinkTest : public ::testing::Test {
 protected:
  SmtpSinkOptions Options(const SmtpTestServer& server,
                          SmtpSecurity security = SmtpSecurity::kStartTls) {
    SmtpSinkOptions o;
    o.server.host = "127.0.0.1";
    o.server.port = server.port();
    o.server.security = security;
    o.server.username = "digest-bot";
    o.server.password = "s3cret-pass";
    o.server.ca_file = server.ca_file();
    o.server.connect_timeout = std::chrono::seconds(5);
    o.server.timeout = std::chrono::seconds(10);
    o.from = "digest@example.org";
    o.to = {"ada@example.org", "alan@example.org", "grace@example.org"};
    o.digest_base_url = "https://digest.example.org";
    return o;
  }
  absl::Status Deliver(SmtpSinkOptions o, const PublishedDigest& d) {
    return SmtpSink(std::move(o), clock_).Deliver(d);
  }

  FakeClock clock_;
};

TEST_F(SmtpSinkTest, StartTlsThenAuthThenMessage) {
  SmtpTestServer server;
  ASSERT_TRUE(server.ok());
  absl::Status s = Deliver(Options(server), MakeDigest());
  ASSERT_TRUE(s.ok()) << s;
  auto messages = server.messages();
  ASSERT_EQ(messages.size(), 1u);
  const testing::SmtpTestMessage& m = messages[0];
  EXPECT_TRUE(m.tls);
  EXPECT_TRUE(m.auth_over_tls);
  EXPECT_EQ(m.auth_user, "digest-bot");
  EXPECT_EQ(m.helo, "arxiv-digest");
  EXPECT_EQ(m.mail_from, "<digest@example.org>");
  EXPECT_EQ(m.rcpt_to,
            (std::vector<std::string>{"<ada@example.org>", "<alan@example.org>",
                                      "<grace@example.org>"}));
  // The session: EHLO and STARTTLS in clear, everything else over TLS.
  bool saw_starttls = false;
  for (const testing::SmtpTestCommand& c : server.commands()) {
    if (c.line == "STARTTLS") saw_starttls = true;
    if (!c.tls) {
      EXPECT_TRUE(absl::StartsWith(c.line, "EHLO") || c.line == "STARTTLS")
          << c.line << " sent in clear text";
    }
  }
  EXPECT_TRUE(saw_starttls);

  const std::string& data = m.data;
  EXPECT_NE(data.find("From: digest@example.org\r\n"), std::string::npos);
  EXPECT_NE(
      data.find("To: ada@example.org, alan@example.org, grace@example.org\r\n"),
      std::string::npos);
  EXPECT_NE(data.find("Subject: arXiv digest 2025-04-08 (alice): 3 relevant "
                      "papers [v2]\r\n"),
            std::string::npos)
      << data;
  // The Date header comes from the injected clock (FakeClock's start).
  EXPECT_NE(data.find("Date: Mon, 01 Jan 2024 00:00:00 +0000\r\n"),
            std::string::npos);
  EXPECT_NE(data.find("@example.org>\r\n"), std::string::npos);  // Message-ID
  EXPECT_NE(data.find("Content-Type: multipart/alternative"),
            std::string::npos);
  // curl dot-stuffed the lone "." line; the server undid it.
  const std::string text = Part(data, "text/plain");
  EXPECT_TRUE(absl::StartsWith(text, MakeDigest().markdown)) << text;
  EXPECT_NE(text.find("Online: https://digest.example.org/p/alice/2025-04-08"),
            std::string::npos);
  EXPECT_EQ(Part(data, "text/html"), MakeDigest().html);
  EXPECT_TRUE(clock_.sleeps().empty());
}

TEST_F(SmtpSinkTest, ServerWithoutStartTlsIsRefused) {
  SmtpTestServerOptions so;
  so.tls = SmtpTestTls::kNone;  // offers AUTH in clear text
  SmtpTestServer server(so);
  ASSERT_TRUE(server.ok());
  absl::Status s = Deliver(Options(server), MakeDigest());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find(
                absl::StrCat("smtp: smtp://127.0.0.1:", server.port(), ": ")),
            std::string::npos)
      << s;
  EXPECT_NE(s.message().find("does not offer STARTTLS"), std::string::npos)
      << s;
  EXPECT_EQ(s.message().find("s3cret"), std::string::npos) << s;
  EXPECT_TRUE(server.messages().empty());
  for (const testing::SmtpTestCommand& c : server.commands()) {
    EXPECT_FALSE(absl::StartsWith(c.line, "AUTH")) << c.line;
    EXPECT_NE(c.line, "<credentials>");
  }
  EXPECT_TRUE(clock_.sleeps().empty());  // permanent: not retried
}

TEST_F(SmtpSinkTest, ImplicitTls) {
  SmtpTestServerOptions so;
  so.tls = SmtpTestTls::kImplicit;
  SmtpTestServer server(so);
  ASSERT_TRUE(server.ok());
  absl::Status s =
      Deliver(Options(server, SmtpSecurity::kImplicitTls), MakeDigest());
  ASSERT_TRUE(s.ok()) << s;
  auto messages = server.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(messages[0].tls);
  EXPECT_TRUE(messages[0].auth_over_tls);
}

TEST_F(SmtpSinkTest, UntrustedCertificateIsRefused) {
  SmtpTestServer server;
  ASSERT_TRUE(server.ok());
  SmtpSinkOptions o = Options(server);
  o.server.ca_file.clear();  // the system store does not know the test CA
  absl::Status s = Deliver(o, MakeDigest());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("certificate"), std::string::npos) << s;
  EXPECT_TRUE(server.messages().empty());
}

TEST_F(SmtpSinkTest, WrongPasswordIsPermanentAndNotQuoted) {
  SmtpTestServer server;
  ASSERT_TRUE(server.ok());
  SmtpSinkOptions o = Options(server);
  o.server.password = "wrong-horse";
  absl::Status s = Deliver(o, MakeDigest());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("AUTH refused"), std::string::npos) << s;
  EXPECT_EQ(s.message().find("wrong-horse"), std::string::npos) << s;
  EXPECT_TRUE(clock_.sleeps().empty());
}

TEST_F(SmtpSinkTest, CredentialsWithoutTlsAreRefusedBeforeConnecting) {
  SmtpTestServer server;
  ASSERT_TRUE(server.ok());
  absl::Status s = Deliver(Options(server, SmtpSecurity::kNone), MakeDigest());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("clear text"), std::string::npos) << s;
  EXPECT_EQ(server.connections(), 0);
}

TEST_F(SmtpSinkTest, PlainRelayWithoutAuth) {
  SmtpTestServerOptions so;
  so.tls = SmtpTestTls::kNone;
  so.require_auth = false;
  SmtpTestServer server(so);
  ASSERT_TRUE(server.ok());
  SmtpSinkOptions o = Options(server, SmtpSecurity::kNone);
  o.server.username.clear();
  o.server.password.clear();
  ASSERT_TRUE(Deliver(o, MakeDigest()).ok());
  auto messages = server.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_FALSE(messages[0].tls);
  EXPECT_TRUE(messages[0].auth_mechanism.empty());
}

TEST_F(SmtpSinkTest, RejectedRecipientIsSkippedOthersGetIt) {
  SmtpTestServerOptions so;
  so.rejected = {"alan@example.org"};
  SmtpTestServer server(so);
  ASSERT_TRUE(server.ok());
  ASSERT_TRUE(Deliver(Options(server), MakeDigest()).ok());
  auto messages = server.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].rcpt_to.size(), 2u);
}

TEST_F(SmtpSinkTest, AllRecipientsRejectedIsPermanentError) {
  SmtpTestServerOptions so;
  so.rejected = {"alan@example.org"};
  SmtpTestServer server(so);
  ASSERT_TRUE(server.ok());
  SmtpSinkOptions o = Options(server);
  o.to = {"alan@example.org"};
  absl::Status s = Deliver(o, MakeDigest());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("550"), std::string::npos) << s;
  EXPECT_TRUE(server.messages().empty());
  EXPECT_TRUE(clock_.sleeps().empty());
}

TEST_F(SmtpSinkTest, TransientGreetingFailureIsRetried) {
  SmtpTestServerOptions so;
  so.fail_greetings = 2;
  SmtpTestServer server(so);
  ASSERT_TRUE(server.ok());
  absl::Status s = Deliver(Options(server), MakeDigest());
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(server.connections(), 3);
  EXPECT_EQ(clock_.sleeps().size(), 2u);
  EXPECT_EQ(server.messages().size(), 1u);
}

TEST_F(SmtpSinkTest, UnreachableServerIsUnavailable) {
  SmtpTestServer server;
  SmtpSinkOptions o = Options(server);
  o.server.port = 1;
  o.max_attempts = 2;
  absl::Status s = Deliver(o, MakeDigest());
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_NE(s.message().find("smtp://127.0.0.1:1"), std::string::npos) << s;
  EXPECT_EQ(clock_.sleeps().size(), 1u);
}

TEST_F(SmtpSinkTest, EmptyDigestSendsNothingUnlessNotifyEmpty) {
  SmtpTestServer server;
  ASSERT_TRUE(server.ok());
  ASSERT_TRUE(Deliver(Options(server), MakeDigest(0)).ok());
  EXPECT_EQ(server.connections(), 0);

  SmtpSinkOptions o = Options(server);
  o.notify_empty = true;
  ASSERT_TRUE(Deliver(o, MakeDigest(0)).ok());
  auto messages = server.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].data.find(
                "Subject: arXiv digest 2025-04-08 (alice): no papers today"),
            std::string::npos)
      << messages[0].data;
  EXPECT_NE(Part(messages[0].data, "text/plain")
                .find("No papers passed the cut-offs on 2025-04-08."),
            std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
