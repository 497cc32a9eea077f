#include "services/scorer/adapters/llm_probe.h"

#include <rapidjson/document.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "lib/log/log.h"

namespace arxiv_digest {
namespace {

HttpRequest ProbeRequest(const OpenAiClientOptions& llm,
                         const std::string& method, const std::string& path) {
  std::string base = llm.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  HttpRequest request;
  request.method = method;
  request.url = base + path;
  request.headers = {{"Authorization", "Bearer " + llm.api_key}};
  for (const auto& header : llm.extra_headers)
    request.headers.push_back(header);
  if (method == "POST") {
    request.content_type = "application/json";
    request.body = "{}";
  }
  return request;
}

absl::Status Unreachable(const absl::Status& transport) {
  return absl::FailedPreconditionError(
      absl::StrCat("LLM endpoint unreachable: ", transport.message(),
                   "; check OPENAI_BASE_URL (and [SELECTION] "
                   "llm_timeout_seconds for a slow endpoint)"));
}

absl::Status KeyRejected(const HttpRequest& request, int status) {
  return absl::FailedPreconditionError(
      absl::StrCat("LLM endpoint rejected the API key: ",
                   HttpErrorMessage(request, HttpStatusText(status)),
                   "; check OPENAI_API_KEY"));
}

// The ids of an OpenAI /models list ({"data": [{"id": ...}, ...]}); empty
// when the body is not one.
std::set<std::string> ListedModels(const std::string& body) {
  std::set<std::string> ids;
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return ids;
  auto data = doc.FindMember("data");
  if (data == doc.MemberEnd() || !data->value.IsArray()) return ids;
  for (const auto& entry : data->value.GetArray()) {
    if (!entry.IsObject()) continue;
    auto id = entry.FindMember("id");
    if (id != entry.MemberEnd() && id->value.IsString()) {
      ids.insert(
          std::string(id->value.GetString(), id->value.GetStringLength()));
    }
  }
  return ids;
}

void WarnIfModelUnlisted(const std::string& body, const std::string& model,
                         const std::string& url) {
  const std::set<std::string> ids = ListedModels(body);
  if (ids.empty() || ids.count(model) > 0 || ids.count(model + ":latest") > 0) {
    return;
  }
  LogWarning(
      "the LLM endpoint does not list the configured model; check "
      "[SELECTION] model",
      {{"model", model},
       {"url", UrlForMessage(url)},
       {"listed_models", std::to_string(ids.size())}});
}

}  // namespace

absl::Status ProbeLlm(HttpClient& http, const OpenAiClientOptions& llm) {
  const HttpRequest models = ProbeRequest(llm, "GET", "/models");
  absl::StatusOr<HttpResponse> listed = http.Send(models);
  if (!listed.ok()) return Unreachable(listed.status());
  const int status = listed->status;
  if (status == 200) {
    WarnIfModelUnlisted(listed->body, llm.request.model, models.url);
    return absl::OkStatus();
  }
  if (status == 401 || status == 403) return KeyRejected(models, status);
  if (status == 429 || status >= 500) {
    LogWarning("LLM endpoint answers but could not check the key now",
               {{"reply", HttpErrorMessage(models, HttpStatusText(status))}});
    return absl::OkStatus();
  }
  // No /models here: ask the chat endpoint itself, with a body it must
  // refuse, so nothing is generated or billed.
  const HttpRequest chat = ProbeRequest(llm, "POST", "/chat/completions");
  absl::StatusOr<HttpResponse> answered = http.Send(chat);
  if (!answered.ok()) return Unreachable(answered.status());
  const int chat_status = answered->status;
  if (chat_status == 401 || chat_status == 403) {
    return KeyRejected(chat, chat_status);
  }
  if (chat_status == 404 || chat_status == 405) {
    return absl::FailedPreconditionError(
        absl::StrCat("no OpenAI-compatible API at OPENAI_BASE_URL: ",
                     HttpErrorMessage(models, HttpStatusText(status)), ", ",
                     HttpErrorMessage(chat, HttpStatusText(chat_status)),
                     "; check OPENAI_BASE_URL (it usually ends in /v1)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<LlmProbeMode> ParseLlmProbeMode(const std::string& flag,
                                               bool under_kubernetes) {
  if (flag.empty()) {
    return under_kubernetes ? LlmProbeMode::kReady : LlmProbeMode::kFail;
  }
  if (flag == "fail") return LlmProbeMode::kFail;
  if (flag == "ready") return LlmProbeMode::kReady;
  if (flag == "off") return LlmProbeMode::kOff;
  return absl::InvalidArgumentError(
      absl::StrCat("--probe-llm: '", flag, "' is not one of fail, ready, off"));
}

absl::Status AwaitLlm(HttpClient& http, const OpenAiClientOptions& llm,
                      LlmProbeMode mode, Clock& clock,
                      std::chrono::milliseconds interval,
                      std::atomic<bool>& ready,
                      const std::function<bool()>& stop) {
  if (mode == LlmProbeMode::kOff) {
    ready = true;
    return absl::OkStatus();
  }
  absl::Status probe = ProbeLlm(http, llm);
  if (!probe.ok() && mode == LlmProbeMode::kFail) return probe;
  bool logged = false;
  while (!probe.ok()) {
    if (!logged) {
      // Once: the error does not change while the setting stays wrong.
      LogError("LLM probe failed; not ready until it passes",
               {{"error", std::string(probe.message())},
                {"retry_seconds", std::to_string(interval.count() / 1000)}});
      logged = true;
    }
    clock.SleepFor(interval);
    if (stop()) return absl::OkStatus();
    probe = ProbeLlm(http, llm);
  }
  if (logged) LogInfo("LLM probe passed; ready");
  ready = true;
  return absl::OkStatus();
}

}  // namespace arxiv_digest
