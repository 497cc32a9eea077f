// LlmClient over HTTP for any OpenAI-compatible /chat/completions endpoint.
// Retries 429 (honouring Retry-After), 5xx and transport errors with
// jittered exponential backoff; a rejected key is reported, not retried.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "lib/http/http_client.h"
#include "services/scorer/logic/scoring_backend.h"

namespace arxiv_digest {

struct OpenAiClientOptions {
  std::string base_url;  // OPENAI_BASE_URL, e.g. https://api.openai.com/v1
  std::string api_key;   // OPENAI_API_KEY; never logged
  ChatRequestOptions request;
  std::vector<std::pair<std::string, std::string>> extra_headers;
  int max_attempts = 4;
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{30000};
};

// Outcome labels for metrics: ok, rate_limited, server_error, timeout,
// transport_error, auth_error, bad_response.
using LlmCallObserver =
    std::function<void(const std::string& outcome, double seconds)>;

class OpenAiClient : public LlmClient {
 public:
  using Sleeper = std::function<void(std::chrono::milliseconds)>;
  OpenAiClient(HttpClient& http, OpenAiClientOptions options,
               LlmCallObserver observer = {}, Sleeper sleeper = {},
               std::function<void()> on_retry = {});
  absl::StatusOr<ChatCompletion> Complete(const std::string& prompt) override;

 private:
  HttpClient& http_;
  OpenAiClientOptions options_;
  LlmCallObserver observer_;
  Sleeper sleep_;
  std::function<void()> on_retry_;
};

}  // namespace arxiv_digest
