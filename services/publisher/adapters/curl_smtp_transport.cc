#include "services/publisher/adapters/curl_smtp_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

#include "absl/strings/str_cat.h"

namespace arxiv_digest {
namespace {

void GlobalInitOnce() {
  // curl_global_init is not thread-safe; the publisher may deliver from
  // several threads.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t ReadMessage(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

struct EasyDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// What went wrong, in the words an operator needs.
std::string Explain(CURLcode code, long reply, const char* detail,
                    const SmtpServerOptions& server) {
  std::string what;
  switch (code) {
    case CURLE_USE_SSL_FAILED:
      what =
          "the server does not offer STARTTLS (smtp_security = starttls "
          "never sends mail or credentials in clear text)";
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
      what = "TLS certificate verification failed";
      break;
    case CURLE_LOGIN_DENIED:
      what = "AUTH refused (check the user and password variables)";
      break;
    default:
      what = curl_easy_strerror(code);
  }
  std::string out = absl::StrCat("smtp: ", SmtpServerUrl(server), ": ", what);
  if (detail != nullptr && detail[0] != '\0') {
    absl::StrAppend(&out, " (", detail, ")");
  }
  if (reply > 0) absl::StrAppend(&out, ", last reply ", reply);
  return out;
}

bool Transient(CURLcode code, long reply) {
  if (reply >= 500) return false;
  if (reply >= 400) return true;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

}  // namespace

absl::StatusOr<SmtpSecurity> ParseSmtpSecurity(std::string_view value) {
  if (value == "starttls") return SmtpSecurity::kStartTls;
  if (value == "tls") return SmtpSecurity::kImplicitTls;
  if (value == "none") return SmtpSecurity::kNone;
  return absl::InvalidArgumentError(
      absl::StrCat("smtp_security: '", std::string(value),
                   "' is not one of starttls, tls, none"));
}

std::string SmtpServerUrl(const SmtpServerOptions& server) {
  const bool brackets = server.host.find(':') != std::string::npos;  // IPv6
  return absl::StrCat(
      server.security == SmtpSecurity::kImplicitTls ? "smtps://" : "smtp://",
      brackets ? "[" : "", server.host, brackets ? "]" : "", ":", server.port);
}

absl::Status SendMailWithCurl(const SmtpServerOptions& server,
                              const SmtpEnvelope& envelope,
                              std::string_view message) {
  if (envelope.from.empty() || envelope.to.empty()) {
    return absl::FailedPreconditionError(
        "smtp: smtp_from and smtp_to must be configured");
  }
  if (server.security == SmtpSecurity::kNone && !server.username.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "smtp: ", SmtpServerUrl(server),
        ": AUTH over smtp_security = none would send the password in clear "
        "text; use starttls or tls"));
  }
  GlobalInitOnce();
  std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
  if (!curl) return absl::InternalError("smtp: curl_easy_init failed");
  CURL* c = curl.get();
  // The URL's path is the EHLO argument.
  const std::string url =
      absl::StrCat(SmtpServerUrl(server), "/", server.helo_name);
  std::unique_ptr<curl_slist, ListDeleter> rcpt;
  for (const std::string& to : envelope.to) {
    curl_slist* next =
        curl_slist_append(rcpt.get(), absl::StrCat("<", to, ">").c_str());
    if (next == nullptr) return absl::InternalError("smtp: out of memory");
    rcpt.release();
    rcpt.reset(next);
  }
  const std::string from = absl::StrCat("<", envelope.from, ">");
  Upload upload{message, 0};
  char error[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(server.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(server.timeout.count()));
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   server.security == SmtpSecurity::kNone
                       ? static_cast<long>(CURLUSESSL_NONE)
                       : static_cast<long>(CURLUSESSL_ALL));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!server.ca_file.empty()) {
    curl_easy_setopt(c, CURLOPT_CAINFO, server.ca_file.c_str());
  }
  if (!server.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, server.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, server.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  // One bad address must not cost everybody else the digest.
#if LIBCURL_VERSION_NUM >= 0x080200
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT_ALLOWFAILS, 1L);
#else
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT_ALLLOWFAILS, 1L);
#endif
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &ReadMessage);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE,
                   static_cast<curl_off_t>(message.size()));

  const CURLcode code = curl_easy_perform(c);
  if (code == CURLE_OK) return absl::OkStatus();
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  const std::string text = Explain(code, reply, error, server);
  return Transient(code, reply) ? absl::UnavailableError(text)
                                : absl::FailedPreconditionError(text);
}

}  // namespace arxiv_digest
