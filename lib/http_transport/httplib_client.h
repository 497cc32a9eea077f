// The real HttpClient: cpp-httplib, with OpenSSL for https. Only this
// module links httplib, so pure code (lib/http, services' logic/) can take
// an HttpClient& without seeing the transport.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/http/http_client.h"

namespace arxiv_digest {

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{60000};  // per read, not per call
  std::string user_agent = "arxiv-digest/0.1";
  // A reply body larger than this fails the call with ResourceExhausted as
  // soon as it is exceeded; the body is never held past the cap.
  size_t max_reply_bytes = size_t{16} << 20;
  // Limit on the whole call (connect, headers, body, redirects); 0 = none.
  // read_timeout applies to each read, so without it a reply dripping one
  // byte at a time would never end. Expiry is DeadlineExceeded.
  std::chrono::milliseconds total_deadline{0};
  int max_redirects = 10;
  // Never sent on a redirect to another origin (scheme, host or port).
  std::vector<std::string> sensitive_headers = {
      "Authorization", "Proxy-Authorization", "Cookie", "Api-Key", "X-Api-Key"};
};

// Thread-safe: every Send opens its own connection. No retries (wrap it in
// a RetryingHttpClient, lib/http/retrying_http_client.h). file:// URLs are
// read from disk (GET only). Redirects (301/302/303/307/308) are followed
// here, not by cpp-httplib, which would re-send every header to any host;
// conditional requests (If-None-Match, If-Modified-Since) see 3xx as is.
class HttplibClient : public HttpClient {
 public:
  explicit HttplibClient(HttpClientOptions options = {});
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

 private:
  // One request without following redirects; `started` is when Send began
  // (the whole-call deadline counts from there).
  absl::StatusOr<HttpResponse> SendOnce(
      const HttpRequest& request,
      std::chrono::steady_clock::time_point started) const;

  HttpClientOptions options_;
};

}  // namespace arxiv_digest
