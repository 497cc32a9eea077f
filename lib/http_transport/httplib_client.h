// The real HttpClient: cpp-httplib, with OpenSSL for https. Only this
// module links httplib, so pure code (lib/http, services' logic/) can take
// an HttpClient& without seeing the transport.
#pragma once

#include <chrono>
#include <string>

#include "absl/status/statusor.h"
#include "lib/http/http_client.h"

namespace arxiv_digest {

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{60000};
  std::string user_agent = "arxiv-digest/0.1";
};

// Thread-safe: every Send opens its own connection. No retries (wrap it in
// a RetryingHttpClient, lib/http/retrying_http_client.h). file:// URLs are
// read from disk (GET only).
class HttplibClient : public HttpClient {
 public:
  explicit HttplibClient(HttpClientOptions options = {});
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

 private:
  HttpClientOptions options_;
};

}  // namespace arxiv_digest
