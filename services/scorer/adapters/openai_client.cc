#include "services/scorer/adapters/openai_client.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "lib/core/shutdown.h"
#include "lib/http/retry_policy.h"
#include "lib/http/retrying_http_client.h"
#include "services/scorer/adapters/llm_transport.h"

namespace arxiv_digest {
namespace {

// The metric label of a retried attempt: the scorer has always counted a
// 503 with the other 5xx.
std::string RetriedOutcomeLabel(const std::string& outcome) {
  return outcome == "unavailable" ? "server_error" : outcome;
}

}  // namespace

OpenAiClient::OpenAiClient(HttpClient& http, OpenAiClientOptions options,
                           Clock& clock, LlmCallObserver observer,
                           std::function<void()> on_retry)
    : http_(http),
      options_(std::move(options)),
      clock_(clock),
      observer_(std::move(observer)),
      on_retry_(std::move(on_retry)) {
  if (!options_.shutdown_requested) {
    options_.shutdown_requested = ShutdownRequested;
  }
}

absl::StatusOr<ChatCompletion> OpenAiClient::Complete(
    const std::string& prompt) {
  std::string base = options_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  HttpRequest request;
  request.method = "POST";
  request.url = base + "/chat/completions";
  request.headers = {{"Authorization", "Bearer " + options_.api_key}};
  for (const auto& header : options_.extra_headers) {
    request.headers.push_back(header);
  }
  request.content_type = "application/json";
  request.body = BuildChatCompletionRequest(options_.request, prompt);

  auto report = [&](const std::string& outcome, double seconds) {
    if (observer_) observer_(outcome, seconds);
  };
  const RetryPolicy policy =
      CappedRetryPolicy(options_.max_attempts, options_.initial_backoff,
                        options_.max_backoff, /*jitter=*/0.5);
  // Attempts that end the call (2xx, 3xx, 4xx) are labelled once the final
  // response is known (auth_error vs bad_response); retried ones at once.
  double final_seconds = 0;
  RetryObserver retry_observer;
  retry_observer.on_attempt = [&](const std::string& outcome, double seconds) {
    if (IsRetryableOutcome(outcome) || outcome == "bad_response") {
      report(RetriedOutcomeLabel(outcome), seconds);
    } else {
      final_seconds = seconds;
    }
  };
  retry_observer.on_retry = [&](int, const RetryDecision&) {
    if (on_retry_) on_retry_();
  };
  RetryingHttpClientHooks hooks;
  // A 200 whose body is not a completion: the provider is misbehaving;
  // retrying is the best bet and costs nothing if it keeps failing.
  hooks.transient_response =
      [](const HttpResponse& r) -> std::optional<std::string> {
    if (r.status != 200) return std::nullopt;
    absl::StatusOr<ChatCompletion> parsed = ParseChatCompletionResponse(r.body);
    if (parsed.ok()) return std::nullopt;
    return absl::StrCat("chat completion: ", parsed.status().message());
  };
  hooks.shutdown_requested = options_.shutdown_requested;
  // A reply dripping in for minutes must not hold up SIGTERM.
  ShutdownAwareHttpClient interruptible(http_, options_.shutdown_requested,
                                        options_.shutdown_poll);
  // Per call, so that the attempt labels above belong to this call only.
  RetryingHttpClient http(interruptible, policy, clock_,
                          std::move(retry_observer), std::move(hooks));
  absl::StatusOr<HttpResponse> response = http.Send(request);
  if (!response.ok()) return response.status();
  if (response->status == 200) {
    absl::StatusOr<ChatCompletion> parsed =
        ParseChatCompletionResponse(response->body);
    if (!parsed.ok()) {
      return absl::InternalError(
          absl::StrCat("chat completion: ", parsed.status().message()));
    }
    report("ok", final_seconds);
    return parsed;
  }
  const std::string what =
      HttpErrorMessage(request, HttpStatusText(response->status));
  if (response->status == 401 || response->status == 403) {
    report("auth_error", final_seconds);
    return absl::PermissionDeniedError(
        absl::StrCat(what, ": the LLM provider rejected the API key; check ",
                     options_.api_key_setting));
  }
  if (response->status == 404) {
    // No such endpoint or model: a setting to fix, not a bad reply, so the
    // replica pauses as for a rejected key instead of retrying the batch.
    report("config_error", final_seconds);
    return absl::PermissionDeniedError(
        absl::StrCat(what, ": no such endpoint or model; check ",
                     options_.base_url_setting, " and [SELECTION] model"));
  }
  if (response->status == 429 || response->status >= 500) {
    return absl::UnavailableError(what);
  }
  report("bad_response", final_seconds);
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": ", response->body.substr(0, 300)));
}

}  // namespace arxiv_digest
