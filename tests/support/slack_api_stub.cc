#include "tests/support/slack_api_stub.h"

#include <httplib.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lib/json/json_util.h"
#include "tests/support/http_server_util.h"

namespace arxiv_digest::testing {
namespace {

std::string Serialize(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

}  // namespace

SlackApiStub::SlackApiStub(std::string token)
    : token_(std::move(token)), server_(std::make_unique<httplib::Server>()) {
  server_->Post("/api/chat.postMessage", [this](const httplib::Request& req,
                                                httplib::Response& res) {
    SlackStubPost post;
    post.authorization = req.get_header_value("Authorization");
    post.content_type = req.get_header_value("Content-Type");
    post.body = req.body;
    absl::StatusOr<rapidjson::Document> doc = ParseJson(req.body);
    if (doc.ok() && doc->IsObject()) {
      post.channel = GetString(*doc, "channel").value_or("");
      post.text = GetString(*doc, "text").value_or("");
      post.thread_ts = GetString(*doc, "thread_ts").value_or("");
      auto blocks = doc->FindMember("blocks");
      if (blocks != doc->MemberEnd() && blocks->value.IsArray()) {
        post.blocks_json = Serialize(blocks->value);
        post.block_count = static_cast<int>(blocks->value.Size());
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    SlackStubAnswer answer;
    if (!script_.empty()) {
      answer = script_.front();
      script_.pop_front();
    }
    if (post.authorization != "Bearer " + token_) {
      answer = SlackStubAnswer{200, "", "invalid_auth"};
    } else if (!doc.ok() || post.channel.empty()) {
      answer = SlackStubAnswer{200, "", "invalid_arguments"};
    }
    res.status = answer.http_status;
    if (!answer.retry_after.empty()) {
      res.set_header("Retry-After", answer.retry_after);
    }
    if (answer.http_status != 200) {
      res.set_content("rate limited", "text/plain");
    } else if (!answer.slack_error.empty()) {
      res.set_content(
          absl::StrCat(R"({"ok":false,"error":")", answer.slack_error, "\"}"),
          "application/json");
    } else {
      post.ts = absl::StrFormat("1700000000.%06d", next_ts_++);
      res.set_content(absl::StrCat(R"({"ok":true,"channel":")", post.channel,
                                   R"(","ts":")", post.ts, "\"}"),
                      "application/json");
    }
    posts_.push_back(std::move(post));
  });
  port_ = StartHttpServer(*server_, thread_).value_or(0);
}

SlackApiStub::~SlackApiStub() { StopHttpServer(server_.get(), thread_); }

std::string SlackApiStub::base_url() const {
  return absl::StrCat("http://127.0.0.1:", port_, "/api");
}

void SlackApiStub::Script(std::vector<SlackStubAnswer> answers) {
  std::lock_guard<std::mutex> lock(mu_);
  script_.assign(answers.begin(), answers.end());
}

std::vector<SlackStubPost> SlackApiStub::posts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return posts_;
}

}  // namespace arxiv_digest::testing
