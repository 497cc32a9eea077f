#include "services/scorer/adapters/openai_client.h"

#include <algorithm>
#include <random>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/log/log.h"

namespace arxiv_digest {
namespace {

std::chrono::milliseconds Jittered(std::chrono::milliseconds base) {
  thread_local std::mt19937 rng{std::random_device{}()};
  std::uniform_real_distribution<double> factor(0.5, 1.5);
  return std::chrono::milliseconds(
      static_cast<int64_t>(static_cast<double>(base.count()) * factor(rng)));
}

}  // namespace

OpenAiClient::OpenAiClient(HttpClient& http, OpenAiClientOptions options,
                           LlmCallObserver observer, Sleeper sleeper,
                           std::function<void()> on_retry)
    : http_(http),
      options_(std::move(options)),
      observer_(std::move(observer)),
      sleep_(sleeper ? std::move(sleeper)
                     : [](std::chrono::milliseconds
                              d) { std::this_thread::sleep_for(d); }),
      on_retry_(std::move(on_retry)) {}

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

  auto report = [&](const char* outcome,
                    std::chrono::steady_clock::time_point start) {
    if (observer_) {
      observer_(outcome, std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count());
    }
  };
  std::chrono::milliseconds backoff = options_.initial_backoff;
  absl::Status last_error = absl::UnavailableError("no attempt made");
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    auto start = std::chrono::steady_clock::now();
    absl::StatusOr<HttpResponse> response = http_.Send(request);
    std::chrono::milliseconds wait = Jittered(backoff);
    if (!response.ok()) {
      bool timeout =
          response.status().code() == absl::StatusCode::kDeadlineExceeded;
      report(timeout ? "timeout" : "transport_error", start);
      last_error = response.status();
    } else if (response->status == 200) {
      absl::StatusOr<ChatCompletion> parsed =
          ParseChatCompletionResponse(response->body);
      if (parsed.ok()) {
        report("ok", start);
        return parsed;
      }
      // A 200 whose body is not a completion: the provider is misbehaving;
      // retrying is the best bet and costs nothing if it keeps failing.
      report("bad_response", start);
      last_error = absl::InternalError(
          absl::StrCat("chat completion: ", parsed.status().message()));
    } else if (response->status == 401 || response->status == 403) {
      report("auth_error", start);
      return absl::PermissionDeniedError(
          absl::StrCat("LLM provider rejected the API key (HTTP ",
                       response->status, "); check OPENAI_API_KEY"));
    } else if (response->status == 429 || response->status >= 500) {
      report(response->status == 429 ? "rate_limited" : "server_error", start);
      last_error = absl::UnavailableError(
          absl::StrCat("LLM provider answered HTTP ", response->status));
      int retry_after = 0;
      if (absl::SimpleAtoi(response->Header("retry-after"), &retry_after) &&
          retry_after > 0) {
        wait = std::min(std::chrono::milliseconds(retry_after * 1000),
                        options_.max_backoff);
      }
    } else {
      report("bad_response", start);
      return absl::InvalidArgumentError(
          absl::StrCat("LLM provider answered HTTP ", response->status, ": ",
                       response->body.substr(0, 300)));
    }
    if (attempt < options_.max_attempts) {
      LogWarning("LLM call failed, retrying",
                 {{"attempt", std::to_string(attempt)},
                  {"error", std::string(last_error.message())},
                  {"wait_ms", std::to_string(wait.count())}});
      if (on_retry_) on_retry_();
      sleep_(wait);
      backoff = std::min(backoff * 2, options_.max_backoff);
    }
  }
  return last_error;
}

}  // namespace arxiv_digest
