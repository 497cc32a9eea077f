#include "tests/support/openai_stub.h"

#include <httplib.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tests/support/http_server_util.h"

namespace arxiv_digest::testing {
namespace {

uint64_t Fnv1a64(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

int64_t CeilDiv4(size_t n) { return static_cast<int64_t>((n + 3) / 4); }

// {"error": {"message", "type", "param": null, "code"}} as OpenAI sends it.
std::string ErrorBody(std::string_view message, std::string_view type,
                      const char* code) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  w.Key("message");
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  w.Key("type");
  w.String(type.data(), static_cast<rapidjson::SizeType>(type.size()));
  w.Key("param");
  w.Null();
  w.Key("code");
  if (code == nullptr) {
    w.Null();
  } else {
    w.String(code);
  }
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

std::string CompletionBody(int64_t id, std::string_view model,
                           std::string_view content, const StubUsage& usage) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&w](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  w.StartObject();
  w.Key("id");
  str(absl::StrCat("chatcmpl-stub", id));
  w.Key("object");
  str("chat.completion");
  w.Key("created");
  w.Int64(1744070400);  // fixed: replies are byte-for-byte reproducible
  w.Key("model");
  str(model);
  w.Key("choices");
  w.StartArray();
  w.StartObject();
  w.Key("index");
  w.Int(0);
  w.Key("message");
  w.StartObject();
  w.Key("role");
  str("assistant");
  w.Key("content");
  str(content);
  w.Key("refusal");
  w.Null();
  w.EndObject();
  w.Key("logprobs");
  w.Null();
  w.Key("finish_reason");
  str("stop");
  w.EndObject();
  w.EndArray();
  w.Key("usage");
  w.StartObject();
  w.Key("prompt_tokens");
  w.Int64(usage.prompt_tokens);
  w.Key("completion_tokens");
  w.Int64(usage.completion_tokens);
  w.Key("total_tokens");
  w.Int64(usage.total_tokens());
  w.Key("prompt_tokens_details");
  w.StartObject();
  w.Key("cached_tokens");
  w.Int64(usage.cached_tokens);
  w.EndObject();
  w.Key("completion_tokens_details");
  w.StartObject();
  w.Key("reasoning_tokens");
  w.Int64(0);
  w.EndObject();
  w.EndObject();
  w.Key("system_fingerprint");
  str("fp_stub");
  w.EndObject();
  return buf.GetString();
}

// Counts requests in flight for the max-concurrency counter.
class InFlight {
 public:
  InFlight(std::atomic<int>& in_flight, std::atomic<int>& max)
      : in_flight_(in_flight) {
    const int now = in_flight_.fetch_add(1) + 1;
    int seen = max.load();
    while (now > seen && !max.compare_exchange_weak(seen, now)) {
    }
  }
  ~InFlight() { in_flight_.fetch_sub(1); }

 private:
  std::atomic<int>& in_flight_;
};

}  // namespace

StubScore StubScoreFor(std::string_view arxiv_id, std::string_view salt) {
  const uint64_t h = salt.empty()
                         ? Fnv1a64(arxiv_id)
                         : Fnv1a64(absl::StrCat(std::string(salt), "/",
                                                std::string(arxiv_id)));
  StubScore s;
  s.relevance = static_cast<int>(h % 10) + 1;
  s.novelty = static_cast<int>((h / 10) % 10) + 1;
  s.comment =
      absl::StrCat("Stub verdict for ", std::string(arxiv_id), ": relevance ",
                   s.relevance, ", novelty ", s.novelty, ".");
  return s;
}

StubUsage StubUsageFor(std::string_view prompt, std::string_view completion) {
  StubUsage u;
  u.prompt_tokens = CeilDiv4(prompt.size());
  u.completion_tokens = CeilDiv4(completion.size());
  const size_t papers = prompt.find("## Papers");
  const int64_t prefix =
      papers == std::string_view::npos ? 0 : static_cast<int64_t>(papers / 4);
  u.cached_tokens = prefix >= 1024 ? prefix / 128 * 128 : 0;
  return u;
}

std::vector<std::string> ExtractPromptArxivIds(std::string_view prompt) {
  static constexpr std::string_view kPrefix = "ArXiv ID: ";
  std::vector<std::string> ids;
  size_t pos = 0;
  while (pos < prompt.size()) {
    size_t end = prompt.find('\n', pos);
    if (end == std::string_view::npos) end = prompt.size();
    std::string_view line = prompt.substr(pos, end - pos);
    if (line.substr(0, kPrefix.size()) == kPrefix) {
      line.remove_prefix(kPrefix.size());
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r' ||
                               line.back() == '\t')) {
        line.remove_suffix(1);
      }
      if (!line.empty()) ids.emplace_back(line);
    }
    pos = end + 1;
  }
  return ids;
}

std::string StubSaltOf(std::string_view prompt) {
  constexpr std::string_view kMarker = "Stub salt: ";
  size_t at = prompt.find(kMarker);
  if (at == std::string_view::npos) return "";
  size_t start = at + kMarker.size();
  size_t end = prompt.find('\n', start);
  return std::string(prompt.substr(start, end == std::string_view::npos
                                              ? std::string_view::npos
                                              : end - start));
}

std::string StubReplyContent(const std::vector<std::string>& ids,
                             std::string_view salt) {
  std::vector<std::string> lines;
  for (const std::string& id : ids) {
    const StubScore s = StubScoreFor(id, salt);
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("ARXIVID");
    w.String(id.data(), static_cast<rapidjson::SizeType>(id.size()));
    w.Key("COMMENT");
    w.String(s.comment.data(),
             static_cast<rapidjson::SizeType>(s.comment.size()));
    w.Key("RELEVANCE");
    w.Int(s.relevance);
    w.Key("NOVELTY");
    w.Int(s.novelty);
    w.EndObject();
    lines.emplace_back(buf.GetString());
  }
  return absl::StrJoin(lines, "\n");
}

bool IsTitlePrompt(std::string_view prompt) {
  return prompt.find("ArXiv ID: ") != std::string_view::npos &&
         prompt.find("\nAbstract: ") == std::string_view::npos;
}

std::string StubTitleReplyContent(const std::vector<std::string>& ids,
                                  std::string_view salt) {
  std::vector<std::string> drop;
  for (const std::string& id : ids) {
    if (StubScoreFor(id, salt).relevance < kStubTitleDropBelow) {
      drop.push_back(absl::StrCat("\"", id, "\""));
    }
  }
  return absl::StrCat("[", absl::StrJoin(drop, ", "), "]");
}

absl::StatusOr<std::unique_ptr<OpenAiStub>> OpenAiStub::Start(
    OpenAiStubOptions options) {
  std::unique_ptr<OpenAiStub> stub(new OpenAiStub());
  stub->api_key_ = options.api_key;
  stub->latency_ = options.latency;
  stub->server_ = std::make_unique<httplib::Server>();
  const int threads = std::max(1, options.threads);
  stub->server_->new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  OpenAiStub* self = stub.get();
  stub->server_->Post(
      R"(/(?:([A-Za-z0-9_-]+)/)?v1/chat/completions)",
      [self](const httplib::Request& req, httplib::Response& res) {
        int status = 200;
        std::string body;
        std::string content_type = "application/json";
        std::map<std::string, std::string> headers;
        bool drop = false;
        const std::string client = req.matches[1];
        // The scorer's start-up probe (llm_probe.h) posts "{}" where there
        // is no /models; a real provider rejects it unbilled, so it is not
        // a call: answered 400 and not recorded in requests().
        if (req.body == "{}" && req.get_header_value("Authorization") ==
                                    "Bearer " + self->api_key()) {
          res.status = 400;
          res.set_content(
              R"({"error":{"message":"messages: required","type":"invalid_request_error"}})",
              "application/json");
          return;
        }
        self->RecordRequest(
            req.body, std::map<std::string, std::string>(req.headers.begin(),
                                                         req.headers.end()));
        self->Handle(client, req.get_header_value("Authorization"), req.body,
                     status, body, content_type, headers, drop);
        res.status = status;
        for (const auto& [k, v] : headers) res.set_header(k.c_str(), v);
        if (drop) {
          // httplib 0.11 cannot close a connection before the status line;
          // a provider that fails sends the headers and then closes the
          // socket mid-body, which the client sees as a dropped connection.
          res.set_content_provider(
              body.size(), content_type.c_str(),
              [](size_t, size_t, httplib::DataSink&) { return false; });
          return;
        }
        res.set_content(body, content_type.c_str());
      });
  auto port = StartHttpServer(*stub->server_, stub->thread_);
  if (!port.ok()) return port.status();
  stub->port_ = *port;
  return stub;
}

OpenAiStub::~OpenAiStub() { Stop(); }

void OpenAiStub::Stop() { StopHttpServer(server_.get(), thread_); }

std::string OpenAiStub::base_url() const {
  return absl::StrCat("http://127.0.0.1:", port_, "/v1");
}

std::string OpenAiStub::base_url(std::string_view client) const {
  return absl::StrCat("http://127.0.0.1:", port_, "/", std::string(client),
                      "/v1");
}

std::map<std::string, int64_t> OpenAiStub::scored_replies_by_client() const {
  std::lock_guard<std::mutex> lock(mu_);
  return scored_by_client_;
}

std::string OpenAiStub::api_key() const {
  std::lock_guard<std::mutex> lock(mu_);
  return api_key_;
}

void OpenAiStub::SetApiKey(std::string key) {
  std::lock_guard<std::mutex> lock(mu_);
  api_key_ = std::move(key);
}

void OpenAiStub::SetLatency(std::chrono::milliseconds latency) {
  std::lock_guard<std::mutex> lock(mu_);
  latency_ = latency;
}

void OpenAiStub::PushFailure(StubFailure failure, int times) {
  std::lock_guard<std::mutex> lock(mu_);
  for (int i = 0; i < times; ++i) failures_.push_back(failure);
}

size_t OpenAiStub::pending_failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_.size();
}

std::vector<std::string> OpenAiStub::scored_ids() const {
  std::lock_guard<std::mutex> lock(mu_);
  return scored_ids_;
}

std::map<std::string, int> OpenAiStub::score_counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, int> counts;
  for (const auto& id : scored_ids_) ++counts[id];
  return counts;
}

StubUsage OpenAiStub::total_usage() const {
  std::lock_guard<std::mutex> lock(mu_);
  return total_usage_;
}

std::vector<std::string> OpenAiStub::models_requested() const {
  std::lock_guard<std::mutex> lock(mu_);
  return models_;
}

void OpenAiStub::RecordRequest(std::string body,
                               std::map<std::string, std::string> headers) {
  std::lock_guard<std::mutex> lock(mu_);
  last_request_body_ = std::move(body);
  last_request_headers_ = std::move(headers);
}

std::string OpenAiStub::last_request_body() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_request_body_;
}

std::string OpenAiStub::last_request_header(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [k, v] : last_request_headers_) {
    if (absl::EqualsIgnoreCase(k, name)) return v;
  }
  return "";
}

std::string OpenAiStub::last_prompt() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_prompt_;
}

void OpenAiStub::Handle(const std::string& client, const std::string& auth,
                        const std::string& body, int& status,
                        std::string& response_body, std::string& content_type,
                        std::map<std::string, std::string>& headers,
                        bool& drop) {
  InFlight in_flight(in_flight_, max_concurrent_);
  requests_.fetch_add(1);

  std::string key;
  std::chrono::milliseconds latency;
  {
    std::lock_guard<std::mutex> lock(mu_);
    key = api_key_;
    latency = latency_;
  }
  // Simulated model latency, not synchronisation: it makes concurrent
  // scorer requests overlap so max_concurrent() can observe them.
  if (latency.count() > 0) std::this_thread::sleep_for(latency);

  if (auth != absl::StrCat("Bearer ", key)) {
    status = 401;
    response_body = ErrorBody(
        "Incorrect API key provided. You can find your API key at "
        "https://platform.openai.com/account/api-keys.",
        "invalid_request_error", "invalid_api_key");
    return;
  }

  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  std::string model;
  std::string prompt;
  bool valid = !doc.HasParseError() && doc.IsObject();
  if (valid) {
    auto m = doc.FindMember("model");
    if (m != doc.MemberEnd() && m->value.IsString())
      model = m->value.GetString();
    auto msgs = doc.FindMember("messages");
    valid = !model.empty() && msgs != doc.MemberEnd() &&
            msgs->value.IsArray() && !msgs->value.Empty();
    if (valid) {
      std::vector<std::string> contents;
      for (const auto& msg : msgs->value.GetArray()) {
        if (!msg.IsObject()) continue;
        auto c = msg.FindMember("content");
        if (c != msg.MemberEnd() && c->value.IsString()) {
          contents.emplace_back(c->value.GetString(),
                                c->value.GetStringLength());
        }
      }
      valid = !contents.empty();
      prompt = absl::StrJoin(contents, "\n\n");
    }
  }
  if (!valid) {
    status = 400;
    response_body = ErrorBody(
        "Invalid request: expected {model, messages: [{role, content}]}.",
        "invalid_request_error", nullptr);
    return;
  }

  std::optional<StubFailure> failure;
  int64_t completion_id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    models_.push_back(model);
    last_prompt_ = prompt;
    if (!failures_.empty()) {
      failure = failures_.front();
      failures_.pop_front();
    }
    completion_id = next_completion_id_++;
  }

  std::vector<std::string> ids = ExtractPromptArxivIds(prompt);
  const std::string salt = StubSaltOf(prompt);
  std::string content;
  if (failure.has_value() && failure->kind == StubFailureKind::kNone) {
    failure.reset();
  }
  if (failure.has_value()) {
    switch (failure->kind) {
      case StubFailureKind::kRateLimited:
        status = 429;
        headers["Retry-After"] = std::to_string(failure->retry_after_seconds);
        response_body = ErrorBody(
            absl::StrCat("Rate limit reached for ", model,
                         " on requests per min (RPM). Please try again in ",
                         failure->retry_after_seconds, "s."),
            "requests", "rate_limit_exceeded");
        return;
      case StubFailureKind::kServerError:
        status = 500;
        response_body = ErrorBody(
            "The server had an error while processing your request. Sorry "
            "about that!",
            "server_error", nullptr);
        return;
      case StubFailureKind::kUnauthorized:
        status = 401;
        response_body = ErrorBody("Incorrect API key provided.",
                                  "invalid_request_error", "invalid_api_key");
        return;
      case StubFailureKind::kGarbageBody:
        status = 200;
        response_body =
            "<html><head><title>502 Bad Gateway</title></head><body>upstream "
            "connect error or disconnect/reset before headers</body></html>";
        return;
      case StubFailureKind::kDropConnection:
        status = 200;
        drop = true;
        response_body = std::string(256, ' ');  // announced, never sent
        return;
      case StubFailureKind::kOmitIds: {
        const size_t omit = std::min(
            ids.size(), static_cast<size_t>(std::max(0, failure->omit_count)));
        ids.resize(ids.size() - omit);
        content = StubReplyContent(ids, salt);
        break;
      }
      case StubFailureKind::kNone:  // handled above
      case StubFailureKind::kFencedReply:
        content = absl::StrCat(
            "Here are the scores for the papers you listed:\n\n```jsonl\n",
            StubReplyContent(ids, salt),
            "\n```\n\nLet me know if you would like more detail on any of "
            "them.");
        break;
    }
  } else {
    content = StubAnswerFor(prompt).content;
  }

  const StubUsage usage = StubUsageFor(prompt, content);
  status = 200;
  content_type = "application/json";
  response_body = CompletionBody(completion_id, model, content, usage);
  const bool title = IsTitlePrompt(prompt);
  (title ? title_replies_ : scored_replies_).fetch_add(1);
  std::lock_guard<std::mutex> lock(mu_);
  if (!title) {
    scored_ids_.insert(scored_ids_.end(), ids.begin(), ids.end());
    ++scored_by_client_[client];
  }
  total_usage_.prompt_tokens += usage.prompt_tokens;
  total_usage_.completion_tokens += usage.completion_tokens;
  total_usage_.cached_tokens += usage.cached_tokens;
}

StubAnswer StubAnswerFor(std::string_view prompt) {
  const std::vector<std::string> ids = ExtractPromptArxivIds(prompt);
  const std::string salt = StubSaltOf(prompt);
  StubAnswer a;
  a.content = IsTitlePrompt(prompt) ? StubTitleReplyContent(ids, salt)
                                    : StubReplyContent(ids, salt);
  a.usage = StubUsageFor(prompt, a.content);
  return a;
}

}  // namespace arxiv_digest::testing
