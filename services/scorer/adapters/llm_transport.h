// The HTTP transport of the scorer's LLM calls: the hard limits of
// [SELECTION] max_reply_bytes and llm_timeout_seconds, and a transport
// decorator that lets SIGTERM end a call in flight.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "lib/config/config.h"
#include "lib/http/http_client.h"
#include "lib/http_transport/httplib_client.h"

namespace arxiv_digest {

// Reply cap = max_reply_bytes; whole-call deadline = llm_timeout_seconds,
// which also bounds the connect and per-read timeouts.
HttpClientOptions LlmTransportOptionsFor(const SelectionConfig& selection);

// The scorer's HTTP transports, one per distinct (max_reply_bytes,
// llm_timeout_seconds) of the profiles, so each profile's calls have its
// own limits. Thread-safe (slots ask from their own threads); each
// transport lives as long as this object, which must outlive every call,
// abandoned ones included (in the scorer: until the process exits).
class LlmTransports {
 public:
  HttpClient& For(const SelectionConfig& selection);
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<int, int>, std::unique_ptr<HttplibClient>> by_limits_;
};

// Sends through `inner` on a thread of its own and returns CANCELLED
// within about `poll` once `shutdown_requested()` turns true, even while
// the reply is still dripping in: cpp-httplib has no way to cancel a
// request from outside, so the call is abandoned (its thread ends by
// itself at the inner transport's whole-call deadline, or with the
// process) and the batch's entries stay pending for another replica.
// `inner` must outlive every call, including abandoned ones: in the scorer
// it lives until the process exits.
class ShutdownAwareHttpClient : public HttpClient {
 public:
  ShutdownAwareHttpClient(
      HttpClient& inner, std::function<bool()> shutdown_requested,
      std::chrono::milliseconds poll = std::chrono::milliseconds(100));
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

 private:
  HttpClient& inner_;
  std::function<bool()> shutdown_requested_;
  std::chrono::milliseconds poll_;
};

}  // namespace arxiv_digest
