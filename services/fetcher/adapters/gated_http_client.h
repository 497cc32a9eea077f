// One HTTP attempt towards arXiv through the shared RequestGate: the slot
// is taken before the request and released after it, so every attempt of
// RetryingHttpClient (retries included) is spaced like a first request.
// Each attempt is counted and timed (the gate wait excluded).
#pragma once

#include <functional>
#include <string>

#include "lib/core/clock.h"
#include "lib/http/http_client.h"
#include "services/fetcher/adapters/request_gate.h"

namespace arxiv_digest {

struct HttpObserver {
  // outcome as ClassifyOutcome (lib/http/retry_policy.h), or "gate_timeout"
  // when the request slot could not be had; seconds of this attempt.
  std::function<void(const std::string& outcome, double seconds)> on_attempt;
};

class GatedHttpClient : public HttpClient {
 public:
  // `gate` may be null (no sharing, e.g. tests of retries alone).
  GatedHttpClient(HttpClient& inner, RequestGate* gate, Clock& clock,
                  HttpObserver observer = {});

  // file:// URLs go straight to `inner` (local files: no gate, not counted).
  // A failed Acquire is returned, marked NotRetryable, without sending.
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

 private:
  HttpClient& inner_;
  RequestGate* gate_;
  Clock& clock_;
  HttpObserver observer_;
};

}  // namespace arxiv_digest
