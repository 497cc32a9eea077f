#include "services/fetcher/adapters/polite_http_client.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "lib/log/log.h"

namespace arxiv_digest {

std::string ArxivUserAgent(const std::string& contact) {
  std::string ua = "arxiv-digest/0.1 (+https://github.com/arxiv-digest";
  if (!contact.empty()) {
    bool url = contact.find("://") != std::string::npos;
    absl::StrAppend(&ua, "; ", url ? "" : "mailto:", contact);
  }
  return ua + ")";
}

PoliteHttpClient::PoliteHttpClient(HttpClient& inner, RequestGate* gate,
                                   Clock& clock, RetryOptions retry,
                                   HttpObserver observer)
    : inner_(inner),
      gate_(gate),
      clock_(clock),
      retry_(retry),
      observer_(std::move(observer)) {}

absl::StatusOr<HttpResponse> PoliteHttpClient::Send(
    const HttpRequest& request) {
  if (request.url.rfind("file://", 0) == 0) return inner_.Send(request);
  for (int retries = 0;; ++retries) {
    if (gate_ != nullptr) {
      if (absl::Status s = gate_->Acquire(); !s.ok()) {
        if (observer_.on_attempt) observer_.on_attempt("gate_timeout", 0);
        return s;
      }
    }
    auto start = std::chrono::steady_clock::now();
    absl::StatusOr<HttpResponse> result = inner_.Send(request);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    if (gate_ != nullptr) gate_->Release();
    if (observer_.on_attempt) {
      observer_.on_attempt(ClassifyOutcome(result), seconds);
    }
    RetryDecision decision = DecideRetry(retries, result, clock_.Now(), retry_);
    if (!decision.retry) {
      if (ClassifyOutcome(result) != "ok" &&
          ClassifyOutcome(result) != "not_modified") {
        LogWarning("arXiv request failed",
                   {{"url", request.url}, {"why", decision.why}});
      }
      return result;
    }
    LogWarning("arXiv request failed, retrying",
               {{"url", request.url},
                {"why", decision.why},
                {"attempt", std::to_string(retries + 1)},
                {"wait_ms", std::to_string(decision.delay.count())}});
    clock_.SleepFor(decision.delay);
  }
}

}  // namespace arxiv_digest
