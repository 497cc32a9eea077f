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

// "profile 'x': " before every message of a named profile.
std::string Prefix(const LlmProbeNames& names) {
  return names.profile.empty()
             ? std::string()
             : absl::StrCat("profile '", names.profile, "': ");
}

absl::Status Unreachable(const absl::Status& transport,
                         const LlmProbeNames& names) {
  return absl::FailedPreconditionError(absl::StrCat(
      Prefix(names), "LLM endpoint unreachable: ", transport.message(),
      "; check ", names.base_url,
      " (and [SELECTION] llm_timeout_seconds for a slow endpoint)"));
}

absl::Status KeyRejected(const HttpRequest& request, int status,
                         const LlmProbeNames& names) {
  return absl::FailedPreconditionError(
      absl::StrCat(Prefix(names), "LLM endpoint rejected the API key: ",
                   HttpErrorMessage(request, HttpStatusText(status)),
                   "; check ", names.api_key));
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
                         const std::string& url, const LlmProbeNames& names) {
  const std::set<std::string> ids = ListedModels(body);
  if (ids.empty() || ids.count(model) > 0 || ids.count(model + ":latest") > 0) {
    return;
  }
  LogWarning(
      "the LLM endpoint does not list the configured model; check "
      "[SELECTION] model",
      {{"model", model},
       {"profile", names.profile},
       {"url", UrlForMessage(url)},
       {"listed_models", std::to_string(ids.size())}});
}

}  // namespace

absl::Status ProbeLlm(HttpClient& http, const OpenAiClientOptions& llm,
                      const LlmProbeNames& names) {
  const HttpRequest models = ProbeRequest(llm, "GET", "/models");
  absl::StatusOr<HttpResponse> listed = http.Send(models);
  if (!listed.ok()) return Unreachable(listed.status(), names);
  const int status = listed->status;
  if (status == 200) {
    WarnIfModelUnlisted(listed->body, llm.request.model, models.url, names);
    return absl::OkStatus();
  }
  if (status == 401 || status == 403) return KeyRejected(models, status, names);
  if (status == 429 || status >= 500) {
    LogWarning("LLM endpoint answers but could not check the key now",
               {{"profile", names.profile},
                {"reply", HttpErrorMessage(models, HttpStatusText(status))}});
    return absl::OkStatus();
  }
  // No /models here: ask the chat endpoint itself, with a body it must
  // refuse, so nothing is generated or billed.
  const HttpRequest chat = ProbeRequest(llm, "POST", "/chat/completions");
  absl::StatusOr<HttpResponse> answered = http.Send(chat);
  if (!answered.ok()) return Unreachable(answered.status(), names);
  const int chat_status = answered->status;
  if (chat_status == 401 || chat_status == 403) {
    return KeyRejected(chat, chat_status, names);
  }
  if (chat_status == 404 || chat_status == 405) {
    return absl::FailedPreconditionError(absl::StrCat(
        Prefix(names), "no OpenAI-compatible API at ", names.base_url, ": ",
        HttpErrorMessage(models, HttpStatusText(status)), ", ",
        HttpErrorMessage(chat, HttpStatusText(chat_status)), "; check ",
        names.base_url, " (it usually ends in /v1)"));
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
  LlmProbeTarget target;
  target.http = &http;
  target.llm = llm;
  return AwaitLlms({target}, mode, clock, interval, ready, stop);
}

absl::Status AwaitLlms(const std::vector<LlmProbeTarget>& targets,
                       LlmProbeMode mode, Clock& clock,
                       std::chrono::milliseconds interval,
                       std::atomic<bool>& ready,
                       const std::function<bool()>& stop) {
  if (mode == LlmProbeMode::kOff) {
    ready = true;
    return absl::OkStatus();
  }
  std::vector<bool> passed(targets.size(), false);
  std::vector<bool> logged(targets.size(), false);
  bool any_logged = false;
  while (true) {
    bool all_passed = true;
    for (size_t i = 0; i < targets.size(); ++i) {
      if (passed[i]) continue;
      absl::Status probe =
          ProbeLlm(*targets[i].http, targets[i].llm, targets[i].names);
      if (probe.ok()) {
        passed[i] = true;
        continue;
      }
      if (mode == LlmProbeMode::kFail) return probe;
      all_passed = false;
      if (!logged[i]) {
        // Once per endpoint: the error does not change while the setting
        // stays wrong.
        LogError("LLM probe failed; not ready until it passes",
                 {{"error", std::string(probe.message())},
                  {"retry_seconds", std::to_string(interval.count() / 1000)}});
        logged[i] = true;
        any_logged = true;
      }
    }
    if (all_passed) break;
    clock.SleepFor(interval);
    if (stop()) return absl::OkStatus();
  }
  if (any_logged) LogInfo("LLM probe passed; ready");
  ready = true;
  return absl::OkStatus();
}

}  // namespace arxiv_digest
