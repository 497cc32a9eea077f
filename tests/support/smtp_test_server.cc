#include "tests/support/smtp_test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace arxiv_digest::testing {
namespace {

SSL_CTX* Ctx(void* p) { return static_cast<SSL_CTX*>(p); }

// A self-signed P-256 certificate for localhost / 127.0.0.1, valid from an
// hour ago for a day. Returns the server context and writes the
// certificate (the client's trust anchor) to `ca_path`.
SSL_CTX* MakeTlsContext(std::string* ca_path) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  if (key == nullptr || cert == nullptr) return nullptr;
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), std::rand() & 0x7fffffff);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(
      name, "CN", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
  const std::pair<int, const char*> extensions[] = {
      {NID_basic_constraints, "critical,CA:TRUE"},
      {NID_subject_key_identifier, "hash"},
      {NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"}};
  for (const auto& [nid, value] : extensions) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
    if (ext == nullptr) return nullptr;
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(cert, key, EVP_sha256()) == 0) return nullptr;

  char path[] = "/tmp/smtp-test-ca-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return nullptr;
  FILE* f = fdopen(fd, "w");
  PEM_write_X509(f, cert);
  fclose(f);
  *ca_path = path;

  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_use_certificate(ctx, cert);
  SSL_CTX_use_PrivateKey(ctx, key);
  X509_free(cert);
  EVP_PKEY_free(key);
  return ctx;
}

}  // namespace

struct SmtpTestServer::Connection {
  int fd = -1;
  SSL* ssl = nullptr;
  std::string buffer;

  ~Connection() {
    if (ssl != nullptr) {
      SSL_shutdown(ssl);
      SSL_free(ssl);
    }
    if (fd >= 0) close(fd);
  }

  bool Send(const std::string& s) {
    if (ssl != nullptr) {
      return SSL_write(ssl, s.data(), static_cast<int>(s.size())) > 0;
    }
    return ::send(fd, s.data(), s.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(s.size());
  }

  bool ReadLine(std::string* line) {
    char chunk[4096];
    size_t eol;
    while ((eol = buffer.find("\r\n")) == std::string::npos) {
      const int n = ssl != nullptr
                        ? SSL_read(ssl, chunk, sizeof(chunk))
                        : static_cast<int>(recv(fd, chunk, sizeof(chunk), 0));
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(n));
    }
    *line = buffer.substr(0, eol);
    buffer.erase(0, eol + 2);
    return true;
  }

  bool StartTls(SSL_CTX* ctx) {
    buffer.clear();  // nothing sent in clear text may count after the switch
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    return SSL_accept(ssl) == 1;
  }
};

SmtpTestServer::SmtpTestServer(SmtpTestServerOptions options)
    : options_(std::move(options)) {
  fail_greetings_ = options_.fail_greetings;
  ssl_ctx_ = MakeTlsContext(&ca_file_);
  if (ssl_ctx_ == nullptr) return;
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listen_fd_, 8) != 0) {
    return;
  }
  socklen_t len = sizeof(addr);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Loop(); });
}

SmtpTestServer::~SmtpTestServer() {
  stop_ = true;
  if (listen_fd_ >= 0) {
    shutdown(listen_fd_, SHUT_RDWR);
    close(listen_fd_);
  }
  if (thread_.joinable()) thread_.join();
  if (ssl_ctx_ != nullptr) SSL_CTX_free(Ctx(ssl_ctx_));
  if (!ca_file_.empty()) std::remove(ca_file_.c_str());
}

std::vector<SmtpTestCommand> SmtpTestServer::commands() const {
  std::lock_guard<std::mutex> lock(mu_);
  return commands_;
}

std::vector<SmtpTestMessage> SmtpTestServer::messages() const {
  std::lock_guard<std::mutex> lock(mu_);
  return messages_;
}

void SmtpTestServer::Record(const std::string& line, bool tls) {
  std::lock_guard<std::mutex> lock(mu_);
  commands_.push_back(SmtpTestCommand{line, tls});
}

void SmtpTestServer::Loop() {
  while (!stop_) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    ++connections_;
    // A stuck client must fail the test, not hang it.
    timeval tv{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    Connection conn;
    conn.fd = fd;
    Serve(conn);
  }
}

void SmtpTestServer::Serve(Connection& conn) {
  if (fail_greetings_ > 0) {
    --fail_greetings_;
    conn.Send("421 4.3.2 busy, try later\r\n");
    return;
  }
  if (options_.tls == SmtpTestTls::kImplicit && !conn.StartTls(Ctx(ssl_ctx_))) {
    return;
  }
  conn.Send("220 test.local ESMTP\r\n");
  SmtpTestMessage m;
  bool authenticated = false;
  bool in_data = false;
  std::string line;
  // Reads one SASL response line (the client may cancel with "*").
  auto sasl_line = [&](const std::string& prompt, std::string* decoded) {
    std::string reply;
    if (!conn.Send(prompt) || !conn.ReadLine(&reply)) return false;
    Record("<credentials>", conn.ssl != nullptr);
    return absl::Base64Unescape(reply, decoded);
  };
  while (conn.ReadLine(&line)) {
    const bool tls = conn.ssl != nullptr;
    if (in_data) {
      if (line == ".") {
        in_data = false;
        m.tls = tls;
        {
          std::lock_guard<std::mutex> lock(mu_);
          messages_.push_back(m);
        }
        m.rcpt_to.clear();
        m.data.clear();
        conn.Send("250 2.0.0 queued\r\n");
        continue;
      }
      if (!line.empty() && line[0] == '.') line.erase(0, 1);
      absl::StrAppend(&m.data, line, "\r\n");
      continue;
    }
    const std::vector<std::string> words =
        absl::StrSplit(line, absl::MaxSplits(' ', 2));
    const std::string verb = absl::AsciiStrToUpper(words[0]);
    Record(verb == "AUTH" && words.size() > 2
               ? absl::StrCat("AUTH ", words[1], " <credentials>")
               : line,
           tls);
    const bool tls_required = options_.tls != SmtpTestTls::kNone;
    if (verb == "EHLO" || verb == "HELO") {
      m.helo = words.size() > 1 ? words[1] : "";
      std::string caps = "250-test.local\r\n";
      if (!tls && options_.tls == SmtpTestTls::kStartTls) {
        absl::StrAppend(&caps, "250-STARTTLS\r\n");
      }
      if (tls || !tls_required)
        absl::StrAppend(&caps, "250-AUTH PLAIN LOGIN\r\n");
      absl::StrAppend(&caps, "250 8BITMIME\r\n");
      conn.Send(caps);
    } else if (verb == "STARTTLS") {
      if (tls || options_.tls != SmtpTestTls::kStartTls) {
        conn.Send("502 5.5.1 not available\r\n");
        continue;
      }
      conn.Send("220 2.0.0 ready to start TLS\r\n");
      if (!conn.StartTls(Ctx(ssl_ctx_))) return;
      authenticated = false;  // RFC 3207: forget the clear-text session
      m = SmtpTestMessage{};
    } else if (verb == "AUTH") {
      if (tls_required && !tls) {
        conn.Send("538 5.7.11 encryption required\r\n");
        continue;
      }
      const std::string mech =
          words.size() > 1 ? absl::AsciiStrToUpper(words[1]) : "";
      std::string user, password;
      bool ok = false;
      if (mech == "PLAIN") {
        std::string decoded;
        ok = words.size() > 2 ? absl::Base64Unescape(words[2], &decoded)
                              : sasl_line("334 \r\n", &decoded);
        std::vector<std::string> parts = absl::StrSplit(decoded, '\0');
        ok = ok && parts.size() == 3;
        if (ok) {
          user = parts[1];
          password = parts[2];
        }
      } else if (mech == "LOGIN") {
        ok = (words.size() > 2 ? absl::Base64Unescape(words[2], &user)
                               : sasl_line("334 VXNlcm5hbWU6\r\n", &user)) &&
             sasl_line("334 UGFzc3dvcmQ6\r\n", &password);
      } else {
        conn.Send("504 5.5.4 mechanism not supported\r\n");
        continue;
      }
      if (ok && user == options_.user && password == options_.password) {
        authenticated = true;
        m.auth_user = user;
        m.auth_mechanism = mech;
        m.auth_over_tls = tls;
        conn.Send("235 2.7.0 authenticated\r\n");
      } else {
        conn.Send("535 5.7.8 authentication credentials invalid\r\n");
      }
    } else if (verb == "MAIL") {
      if (tls_required && !tls) {
        conn.Send("530 5.7.0 must issue a STARTTLS command first\r\n");
      } else if (options_.require_auth && !authenticated) {
        conn.Send("530 5.7.0 authentication required\r\n");
      } else {
        m.mail_from = line.substr(line.find(':') + 1);
        conn.Send("250 2.1.0 ok\r\n");
      }
    } else if (verb == "RCPT") {
      std::string rcpt = line.substr(line.find(':') + 1);
      std::string bare = rcpt;
      if (bare.size() >= 2 && bare.front() == '<' && bare.back() == '>') {
        bare = bare.substr(1, bare.size() - 2);
      }
      if (m.mail_from.empty()) {
        conn.Send("503 5.5.1 MAIL first\r\n");
      } else if (options_.rejected.count(bare) > 0) {
        conn.Send("550 5.1.1 no such user\r\n");
      } else {
        m.rcpt_to.push_back(rcpt);
        conn.Send("250 2.1.5 ok\r\n");
      }
    } else if (verb == "DATA") {
      if (m.rcpt_to.empty()) {
        conn.Send("554 5.5.1 no valid recipients\r\n");
        continue;
      }
      in_data = true;
      conn.Send("354 go ahead\r\n");
    } else if (verb == "QUIT") {
      conn.Send("221 2.0.0 bye\r\n");
      return;
    } else if (verb == "RSET" || verb == "NOOP") {
      conn.Send("250 2.0.0 ok\r\n");
    } else {
      conn.Send("502 5.5.2 unknown command\r\n");
    }
  }
}

}  // namespace arxiv_digest::testing
