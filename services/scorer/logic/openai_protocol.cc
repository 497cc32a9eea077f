#include "services/scorer/logic/openai_protocol.h"

#include <algorithm>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace arxiv_digest {
namespace {

using rapidjson::Value;

const Value* Member(const Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::string StringOr(const Value* value, std::string fallback) {
  if (value == nullptr || !value->IsString()) return fallback;
  return std::string(value->GetString(), value->GetStringLength());
}

// Token counts are integers; a count that is absent or not a non-negative
// integer is reported rather than silently read as 0.
absl::StatusOr<int64_t> Count(const Value& usage, const char* name) {
  const Value* value = Member(usage, name);
  if (value == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("chat completion response: usage.", name, " is missing"));
  }
  if (!value->IsInt64() || value->GetInt64() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("chat completion response: usage.", name,
                     " is not a non-negative integer"));
  }
  return value->GetInt64();
}

// {"error": {"message": "...", "type": "...", "code": "..."}} or, from some
// compatible servers, {"error": "message"}.
std::optional<absl::Status> ErrorBody(const Value& doc) {
  const Value* error = Member(doc, "error");
  if (error == nullptr || error->IsNull()) return std::nullopt;
  std::string message = StringOr(error, "");
  if (error->IsObject()) {
    message = StringOr(Member(*error, "message"), "(no message)");
    const std::string type = StringOr(Member(*error, "type"), "");
    const std::string code = StringOr(Member(*error, "code"), "");
    if (!type.empty()) absl::StrAppend(&message, " [type: ", type, "]");
    if (!code.empty()) absl::StrAppend(&message, " [code: ", code, "]");
  }
  return absl::UnavailableError(absl::StrCat("LLM API error: ", message));
}

}  // namespace

std::string BuildChatCompletionRequest(const ChatRequestOptions& options,
                                       std::string_view user_prompt) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("model");
  w.String(options.model.data(), options.model.size());
  w.Key("messages");
  w.StartArray();
  w.StartObject();
  w.Key("role");
  w.String("user");
  w.Key("content");
  w.String(user_prompt.data(), user_prompt.size());
  w.EndObject();
  w.EndArray();
  if (options.send_temperature) {
    w.Key("temperature");
    w.Double(options.temperature);
  }
  w.Key("seed");
  w.Int(0);
  if (options.max_tokens > 0) {
    w.Key("max_tokens");
    w.Int(options.max_tokens);
  }
  if (options.json_mode) {
    w.Key("response_format");
    w.StartObject();
    w.Key("type");
    w.String("json_object");
    w.EndObject();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

absl::StatusOr<ChatCompletion> ParseChatCompletionResponse(
    std::string_view body) {
  // Iterative: the recursive parser overflows the stack on a body that
  // nests thousands of levels deep.
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError()) {
    return absl::InvalidArgumentError(
        absl::StrCat("chat completion response is not JSON: ",
                     rapidjson::GetParseError_En(doc.GetParseError()),
                     " at offset ", doc.GetErrorOffset()));
  }
  if (!doc.IsObject()) {
    return absl::InvalidArgumentError(
        "chat completion response is not a JSON object");
  }
  if (std::optional<absl::Status> error = ErrorBody(doc)) return *error;

  ChatCompletion out;
  const Value* choices = Member(doc, "choices");
  if (choices == nullptr || !choices->IsArray() || choices->Empty()) {
    return absl::InvalidArgumentError(
        "chat completion response: choices is missing or empty");
  }
  const Value& choice = (*choices)[0];  // index checked: array not empty
  const Value* message = Member(choice, "message");
  if (message == nullptr || !message->IsObject()) {
    return absl::InvalidArgumentError(
        "chat completion response: choices[0].message is missing");
  }
  const Value* content = Member(*message, "content");
  if (content == nullptr || !content->IsString()) {
    // A refusal comes with content null and a "refusal" text.
    const std::string refusal = StringOr(Member(*message, "refusal"), "");
    return absl::InvalidArgumentError(
        refusal.empty()
            ? "chat completion response: choices[0].message.content is "
              "missing or not a string"
            : absl::StrCat("chat completion refused: ", refusal));
  }
  out.content.assign(content->GetString(), content->GetStringLength());
  out.finish_reason = StringOr(Member(choice, "finish_reason"), "");
  out.model = StringOr(Member(doc, "model"), "");

  const Value* usage = Member(doc, "usage");
  if (usage == nullptr || !usage->IsObject()) {
    return absl::InvalidArgumentError(
        "chat completion response: usage is missing");
  }
  absl::StatusOr<int64_t> prompt = Count(*usage, "prompt_tokens");
  if (!prompt.ok()) return prompt.status();
  absl::StatusOr<int64_t> completion = Count(*usage, "completion_tokens");
  if (!completion.ok()) return completion.status();
  out.usage.prompt_tokens = *prompt;
  out.usage.completion_tokens = *completion;
  // Cached prompt tokens (billed at the cached rate): OpenAI reports
  // usage.prompt_tokens_details.cached_tokens, DeepSeek
  // usage.prompt_cache_hit_tokens; other servers omit both or send null.
  // Optional, so a malformed value reads as "none cached" rather than
  // failing a call that was already paid for.
  auto non_negative = [](const Value* v) {
    return v != nullptr && v->IsInt64() && v->GetInt64() >= 0;
  };
  if (const Value* details = Member(*usage, "prompt_tokens_details");
      details != nullptr && details->IsObject()) {
    if (const Value* cached = Member(*details, "cached_tokens");
        non_negative(cached)) {
      out.usage.cached_tokens = cached->GetInt64();
    }
  }
  if (const Value* hit = Member(*usage, "prompt_cache_hit_tokens");
      out.usage.cached_tokens == 0 && non_negative(hit)) {
    out.usage.cached_tokens = hit->GetInt64();
  }
  // Never more cached than prompt tokens, so cost arithmetic stays sane.
  out.usage.cached_tokens =
      std::min(out.usage.cached_tokens, out.usage.prompt_tokens);
  return out;
}

}  // namespace arxiv_digest
