// The HttpClient the fetcher uses towards arXiv: every request goes through
// the shared RequestGate (one at a time, minimum interval across replicas),
// failed requests are retried with backoff or after Retry-After (bounded,
// see logic/retry_policy.h), and each attempt is counted and timed.
#pragma once

#include <functional>
#include <string>

#include "lib/http/http_client.h"
#include "services/fetcher/adapters/request_gate.h"
#include "services/fetcher/logic/clock.h"
#include "services/fetcher/logic/retry_policy.h"

namespace arxiv_digest {

// "arxiv-digest/0.1 (+https://github.com/arxiv-digest; mailto:me@x.org)";
// without a contact the part after the URL is left out. arXiv asks API
// users to identify themselves this way.
std::string ArxivUserAgent(const std::string& contact);

struct HttpObserver {
  // outcome as ClassifyOutcome; seconds of this attempt.
  std::function<void(const std::string& outcome, double seconds)> on_attempt;
};

class PoliteHttpClient : public HttpClient {
 public:
  // `gate` may be null (no sharing, e.g. tests of retries alone).
  PoliteHttpClient(HttpClient& inner, RequestGate* gate, Clock& clock,
                   RetryOptions retry, HttpObserver observer = {});

  // The last attempt's result: a response (possibly still 429/5xx once the
  // retries are used up) or the transport error. file:// URLs bypass the
  // gate and the retries (local files, no server to be polite to).
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

 private:
  HttpClient& inner_;
  RequestGate* gate_;
  Clock& clock_;
  RetryOptions retry_;
  HttpObserver observer_;
};

}  // namespace arxiv_digest
