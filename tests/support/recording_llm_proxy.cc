#include "tests/support/recording_llm_proxy.h"

#include <httplib.h>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "lib/json/json_util.h"
#include "tests/support/http_server_util.h"
#include "tests/support/openai_stub.h"

namespace arxiv_digest::testing {

RecordingLlmProxy::RecordingLlmProxy(int stub_port)
    : stub_port_(stub_port), server_(std::make_unique<httplib::Server>()) {
  // Two scorers with several calls in flight each, plus the probe.
  server_->new_task_queue = [] { return new httplib::ThreadPool(16); };
  server_->Post("/v1/chat/completions", [this](const httplib::Request& req,
                                               httplib::Response& res) {
    const std::string authorization = req.get_header_value("Authorization");
    httplib::Client stub("127.0.0.1", stub_port_);
    stub.set_read_timeout(30, 0);
    httplib::Result r =
        stub.Post("/v1/chat/completions", {{"Authorization", authorization}},
                  req.body, "application/json");
    Record(req.body, authorization, req.get_header_value("X-Reader"),
           r && r->status == 200 ? r->body : "");
    if (!r) {
      res.status = 502;
      return;
    }
    res.status = r->status;
    // The scorer's back-off honours the stub's scripted rate limits.
    for (const auto& [k, v] : r->headers) {
      if (k == "Retry-After") res.set_header(k.c_str(), v);
    }
    res.set_content(r->body, "application/json");
  });
}

RecordingLlmProxy::~RecordingLlmProxy() {
  StopHttpServer(server_.get(), thread_);
}

absl::Status RecordingLlmProxy::Start() {
  absl::StatusOr<int> port = StartHttpServer(*server_, thread_);
  if (!port.ok()) return port.status();
  port_ = *port;
  return absl::OkStatus();
}

std::string RecordingLlmProxy::base_url() const {
  return absl::StrCat("http://127.0.0.1:", port_, "/v1");
}

std::vector<LlmCall> RecordingLlmProxy::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

void RecordingLlmProxy::Record(const std::string& request,
                               const std::string& authorization,
                               const std::string& reader,
                               const std::string& reply) {
  LlmCall call;
  call.authorization = authorization;
  call.reader = reader;
  absl::StatusOr<rapidjson::Document> doc = ParseJson(request);
  if (doc.ok() && doc->IsObject()) {
    call.model = GetString(*doc, "model").value_or("");
    auto messages = doc->FindMember("messages");
    if (messages != doc->MemberEnd() && messages->value.IsArray()) {
      for (const rapidjson::Value& m : messages->value.GetArray()) {
        if (!m.IsObject()) continue;
        const std::string content = GetString(m, "content").value_or("");
        call.title = call.title || IsTitlePrompt(content);
        for (std::string& id : ExtractPromptArxivIds(content)) {
          call.ids.push_back(std::move(id));
        }
      }
    }
  }
  absl::StatusOr<rapidjson::Document> answer = ParseJson(reply);
  if (answer.ok() && answer->IsObject()) {
    auto usage = answer->FindMember("usage");
    if (usage != answer->MemberEnd() && usage->value.IsObject()) {
      call.prompt_tokens = GetInt(usage->value, "prompt_tokens").value_or(0);
      call.completion_tokens =
          GetInt(usage->value, "completion_tokens").value_or(0);
      auto details = usage->value.FindMember("prompt_tokens_details");
      if (details != usage->value.MemberEnd() && details->value.IsObject()) {
        call.cached_tokens =
            GetInt(details->value, "cached_tokens").value_or(0);
      }
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  calls_.push_back(std::move(call));
}

}  // namespace arxiv_digest::testing
