#include "services/fetcher/adapters/polite_http_client.h"

#include "absl/strings/str_cat.h"

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
                                   Clock& clock, RetryPolicy retry,
                                   HttpObserver observer)
    : gated_(inner, gate, clock, std::move(observer)),
      retrying_(gated_, retry, clock) {}

absl::StatusOr<HttpResponse> PoliteHttpClient::Send(
    const HttpRequest& request) {
  return retrying_.Send(request);
}

}  // namespace arxiv_digest
