// HTTP client behind a small interface, so adapters (feed fetcher, LLM
// client, webhooks) take an HttpClient& and tests can pass a local server or
// a scripted fake. Pure: the cpp-httplib transport is in
// lib/http_transport/httplib_client.h, retries in retrying_http_client.h.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace arxiv_digest {

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // http://, https:// or (GET only) file://
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type;  // for bodies
  // The path and query are a credential (a Slack incoming-webhook URL):
  // error messages and logs show only scheme, host and port.
  bool secret_path = false;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;  // lower-case names

  // First value of a header (case-insensitive name), or "".
  std::string Header(const std::string& name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Transport failures (refused, timeout, TLS) are Unavailable or
  // DeadlineExceeded; any HTTP status, even 500, is a response.
  virtual absl::StatusOr<HttpResponse> Send(const HttpRequest& request) = 0;
};

// A URL as error messages quote it: a password in it becomes "***"
// (lib/text/redact.h) and so does the value of every query parameter whose
// name says it is a secret (key, token, secret, password, signature, auth),
// the rest stays so the user sees what was asked.
std::string UrlForMessage(const std::string& url);

// "HTTP 404 Not Found": the status and its reason phrase (just "HTTP 599"
// for a code without a standard phrase).
std::string HttpStatusText(int status);

// What every HTTP error says: "<METHOD> <UrlForMessage(url)>: <what>"
// (with secret_path, the URL's origin and "/***"),
// e.g. "POST http://127.0.0.1:46998/v1/chat/completions: connection refused
// (errno 111)".
std::string HttpErrorMessage(const HttpRequest& request,
                             const std::string& what);

// Splits "https://host:port/path?q" into "https://host:port" and "/path?q".
absl::StatusOr<std::pair<std::string, std::string>> SplitUrl(
    const std::string& url);

}  // namespace arxiv_digest
