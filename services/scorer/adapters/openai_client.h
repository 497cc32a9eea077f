// LlmClient over HTTP for any OpenAI-compatible /chat/completions endpoint,
// on the shared RetryingHttpClient (lib/http/retrying_http_client.h): 429
// (honouring Retry-After, clamped to max_backoff), 5xx, transport errors
// and a 200 whose body is not a completion are retried with jittered
// exponential backoff; a rejected key is reported, not retried.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "lib/core/clock.h"
#include "lib/http/http_client.h"
#include "services/scorer/logic/scoring_backend.h"

namespace arxiv_digest {

struct OpenAiClientOptions {
  std::string base_url;  // OPENAI_BASE_URL, e.g. https://api.openai.com/v1
  std::string api_key;   // OPENAI_API_KEY; never logged
  ChatRequestOptions request;
  std::vector<std::pair<std::string, std::string>> extra_headers;
  // What error messages tell the operator to check: a profile with its own
  // provider names "[SELECTION] base_url" / "[SELECTION] api_key_env (X)".
  std::string base_url_setting = "OPENAI_BASE_URL";
  std::string api_key_setting = "OPENAI_API_KEY";
  int max_attempts = 4;
  std::chrono::milliseconds initial_backoff{1000};
  // Caps the backoff and any Retry-After the provider asks for.
  std::chrono::milliseconds max_backoff{30000};
  // SIGTERM ends a call in flight within about shutdown_poll (the call is
  // abandoned: llm_transport.h ShutdownAwareHttpClient) and stops retries.
  // Default: lib/core/shutdown.h ShutdownRequested.
  std::function<bool()> shutdown_requested;
  std::chrono::milliseconds shutdown_poll{100};
};

// Outcome labels for metrics: ok, rate_limited, server_error, timeout,
// transport_error, auth_error, bad_response.
using LlmCallObserver =
    std::function<void(const std::string& outcome, double seconds)>;

class OpenAiClient : public LlmClient {
 public:
  // Waits between attempts go through `clock`. on_retry is called before
  // each wait. Thread-safe if `http` is: every call has its own retry
  // state.
  OpenAiClient(HttpClient& http, OpenAiClientOptions options,
               Clock& clock = SystemClock(), LlmCallObserver observer = {},
               std::function<void()> on_retry = {});
  absl::StatusOr<ChatCompletion> Complete(const std::string& prompt) override;

 private:
  HttpClient& http_;
  OpenAiClientOptions options_;
  Clock& clock_;
  LlmCallObserver observer_;
  std::function<void()> on_retry_;
};

}  // namespace arxiv_digest
