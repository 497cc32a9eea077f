#include "services/fetcher/adapters/polite_http_client.h"

#include "absl/strings/str_cat.h"
#include "lib/core/shutdown.h"

namespace arxiv_digest {
namespace {

RetryingHttpClientHooks StopAfterGateFailure(const GatedHttpClient& gated) {
  RetryingHttpClientHooks hooks;
  // RetryingHttpClient retries every error status; a gate that timed out
  // (or saw a shutdown) must not be asked again for max_attempts more
  // bounded waits. Its stop check ends the call instead.
  hooks.shutdown_requested = [&gated] {
    return ShutdownRequested() || gated.gate_failed();
  };
  return hooks;
}

}  // namespace

std::string ArxivUserAgent(const std::string& contact) {
  std::string ua = "arxiv-digest/0.1 (+https://github.com/arxiv-digest";
  if (!contact.empty()) {
    bool url = contact.find("://") != std::string::npos;
    absl::StrAppend(&ua, "; ", url ? "" : "mailto:", contact);
  }
  return ua + ")";
}

PoliteHttpClient::PoliteHttpClient(HttpClient& inner, RequestGate* gate,
                                   Clock& clock, RetryPolicy retry,
                                   HttpObserver observer)
    : gated_(inner, gate, clock, std::move(observer)),
      retrying_(gated_, retry, clock, RetryObserver{},
                StopAfterGateFailure(gated_)) {}

absl::StatusOr<HttpResponse> PoliteHttpClient::Send(
    const HttpRequest& request) {
  gated_.ResetGateFailed();
  return retrying_.Send(request);
}

}  // namespace arxiv_digest
