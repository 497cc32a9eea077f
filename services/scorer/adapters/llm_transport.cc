#include "services/scorer/adapters/llm_transport.h"

#include <algorithm>
#include <chrono>

namespace arxiv_digest {

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

}  // namespace arxiv_digest
