#include "services/fetcher/adapters/gated_http_client.h"

#include <chrono>

#include "lib/http/retry_policy.h"

namespace arxiv_digest {

GatedHttpClient::GatedHttpClient(HttpClient& inner, RequestGate* gate,
                                 Clock& clock, HttpObserver observer)
    : inner_(inner),
      gate_(gate),
      clock_(clock),
      observer_(std::move(observer)) {}

absl::StatusOr<HttpResponse> GatedHttpClient::Send(const HttpRequest& request) {
  if (request.url.rfind("file://", 0) == 0) return inner_.Send(request);
  if (gate_ != nullptr) {
    if (absl::Status s = gate_->Acquire(); !s.ok()) {
      if (observer_.on_attempt) observer_.on_attempt("gate_timeout", 0);
      // The gate already waited its bound (or saw a shutdown): another
      // attempt would only wait it again.
      return NotRetryable(std::move(s));
    }
  }
  const auto start = clock_.Monotonic();
  absl::StatusOr<HttpResponse> result = inner_.Send(request);
  const double seconds =
      std::chrono::duration<double>(clock_.Monotonic() - start).count();
  if (gate_ != nullptr) gate_->Release();
  if (observer_.on_attempt) {
    observer_.on_attempt(ClassifyOutcome(result), seconds);
  }
  return result;
}

}  // namespace arxiv_digest
