#include "services/scorer/adapters/llm_transport.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace arxiv_digest {
namespace {

// What the caller and the sending thread share; the thread keeps it alive
// after an abandoned call has returned.
struct PendingCall {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<absl::StatusOr<HttpResponse>> result;  // guarded by mu
};

absl::Status Abandoned() {
  return absl::CancelledError(
      "shutting down: the LLM call in flight was abandoned; its papers stay "
      "pending for another replica");
}

}  // namespace

HttpClientOptions LlmTransportOptionsFor(const SelectionConfig& selection) {
  HttpClientOptions options;
  const std::chrono::milliseconds timeout =
      std::chrono::seconds(selection.llm_timeout_seconds);
  options.max_reply_bytes = static_cast<size_t>(selection.max_reply_bytes);
  options.total_deadline = timeout;
  options.read_timeout = timeout;
  // Connecting takes far less than a reply; a dead endpoint should fail
  // fast so the retry can start, but never outlast the whole call.
  options.connect_timeout =
      std::min<std::chrono::milliseconds>(std::chrono::seconds(10), timeout);
  return options;
}

HttpClient& LlmTransports::For(const SelectionConfig& selection) {
  std::lock_guard<std::mutex> lock(mu_);
  std::unique_ptr<HttplibClient>& transport =
      by_limits_[{selection.max_reply_bytes, selection.llm_timeout_seconds}];
  if (transport == nullptr) {
    transport =
        std::make_unique<HttplibClient>(LlmTransportOptionsFor(selection));
  }
  return *transport;
}

size_t LlmTransports::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return by_limits_.size();
}

ShutdownAwareHttpClient::ShutdownAwareHttpClient(
    HttpClient& inner, std::function<bool()> shutdown_requested,
    std::chrono::milliseconds poll)
    : inner_(inner),
      shutdown_requested_(std::move(shutdown_requested)),
      poll_(std::max(std::chrono::milliseconds(1), poll)) {}

absl::StatusOr<HttpResponse> ShutdownAwareHttpClient::Send(
    const HttpRequest& request) {
  if (shutdown_requested_()) return Abandoned();
  auto call = std::make_shared<PendingCall>();
  std::thread sender([call, &inner = inner_, request] {
    absl::StatusOr<HttpResponse> result = inner.Send(request);
    std::lock_guard<std::mutex> lock(call->mu);
    call->result = std::move(result);
    call->cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(call->mu);
  while (!call->cv.wait_for(lock, poll_,
                            [&call] { return call->result.has_value(); })) {
    if (shutdown_requested_()) {
      lock.unlock();
      sender.detach();
      return Abandoned();
    }
  }
  absl::StatusOr<HttpResponse> result = *std::move(call->result);
  lock.unlock();
  sender.join();
  return result;
}

}  // namespace arxiv_digest
