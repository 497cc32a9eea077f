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

// Splits "https://host:port/path?q" into "https://host:port" and "/path?q".
absl::StatusOr<std::pair<std::string, std::string>> SplitUrl(
    const std::string& url);

}  // namespace arxiv_digest
