// An SMTP server on 127.0.0.1 (port 0) for e-mail tests, with real TLS
// (OpenSSL): it can require STARTTLS before AUTH and mail (as hosted
// providers do), speak implicit TLS (port-465 style) or offer no STARTTLS
// at all. Its certificate is self-signed, generated in memory at start
// (CN and SAN localhost / 127.0.0.1) and written to ca_file(), which the
// client trusts explicitly. Serves one connection at a time and records
// every command and every accepted message.
#pragma once

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace arxiv_digest::testing {

enum class SmtpTestTls {
  kStartTls,  // offers STARTTLS; AUTH and MAIL only after it
  kImplicit,  // TLS from the first byte
  kNone,      // no STARTTLS; offers AUTH in clear text (a bad server)
};

struct SmtpTestServerOptions {
  SmtpTestTls tls = SmtpTestTls::kStartTls;
  bool require_auth = true;  // MAIL without AUTH gets 530
  std::string user = "digest-bot";
  std::string password = "s3cret-pass";
  int fail_greetings = 0;          // the first N connections get 421
  std::set<std::string> rejected;  // RCPT addresses (without <>) to refuse
};

struct SmtpTestCommand {
  std::string line;  // AUTH payloads replaced by "<credentials>"
  bool tls = false;  // received over TLS
};

struct SmtpTestMessage {
  std::string helo;  // the last EHLO/HELO argument
  std::string mail_from;
  std::vector<std::string> rcpt_to;
  std::string data;  // dot-stuffing undone, CRLF line ends
  bool tls = false;  // the message travelled over TLS
  std::string auth_user;
  std::string auth_mechanism;  // PLAIN or LOGIN; empty = no AUTH
  bool auth_over_tls = false;
};

class SmtpTestServer {
 public:
  explicit SmtpTestServer(SmtpTestServerOptions options = {});
  ~SmtpTestServer();
  SmtpTestServer(const SmtpTestServer&) = delete;
  SmtpTestServer& operator=(const SmtpTestServer&) = delete;

  bool ok() const { return port_ > 0; }  // certificate and socket set up
  int port() const { return port_; }
  const std::string& ca_file() const { return ca_file_; }
  int connections() const { return connections_; }
  std::vector<SmtpTestCommand> commands() const;
  std::vector<SmtpTestMessage> messages() const;

 private:
  struct Connection;
  void Loop();
  void Serve(Connection& conn);
  void Record(const std::string& line, bool tls);

  SmtpTestServerOptions options_;
  void* ssl_ctx_ = nullptr;  // SSL_CTX*, kept out of this header
  std::string ca_file_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> fail_greetings_{0};
  mutable std::mutex mu_;
  std::vector<SmtpTestCommand> commands_;
  std::vector<SmtpTestMessage> messages_;
};

}  // namespace arxiv_digest::testing
