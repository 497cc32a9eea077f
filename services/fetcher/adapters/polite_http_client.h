// The HttpClient the fetcher uses towards arXiv: lib's RetryingHttpClient
// (backoff, Retry-After, bounded attempts; lib/http/retry_policy.h) around
// a GatedHttpClient, so every attempt goes through the shared RequestGate
// (one at a time, minimum interval across replicas) and is counted.
#pragma once

#include <string>

#include "lib/core/clock.h"
#include "lib/http/http_client.h"
#include "lib/http/retry_policy.h"
#include "lib/http/retrying_http_client.h"
#include "services/fetcher/adapters/gated_http_client.h"
#include "services/fetcher/adapters/request_gate.h"

namespace arxiv_digest {

// "arxiv-digest/0.1 (+https://github.com/arxiv-digest; mailto:me@x.org)";
// without a contact the part after the URL is left out. arXiv asks API
// users to identify themselves this way.
std::string ArxivUserAgent(const std::string& contact);

class PoliteHttpClient : public HttpClient {
 public:
  // `gate` may be null (no sharing, e.g. tests of retries alone).
  PoliteHttpClient(HttpClient& inner, RequestGate* gate, Clock& clock,
                   RetryPolicy retry, HttpObserver observer = {});

  // The last attempt's result: a response (possibly still 429/5xx once the
  // retries are used up) or the transport error. A request slot that could
  // not be had is returned at once, not retried (the gate already waited
  // its bound). file:// URLs bypass the gate and the retries. Not
  // thread-safe (one per fetcher thread, like the gate).
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

 private:
  GatedHttpClient gated_;
  RetryingHttpClient retrying_;
};

}  // namespace arxiv_digest
