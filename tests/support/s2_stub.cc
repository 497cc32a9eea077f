#include "tests/support/s2_stub.h"

#include <httplib.h>

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rapidjson/document.h"
#include "tests/support/http_server_util.h"

namespace arxiv_digest::testing {
namespace {

std::vector<std::string> RequestedIds(const std::string& body) {
  std::vector<std::string> ids;
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  if (doc.HasParseError() || !doc.IsObject()) return ids;
  auto it = doc.FindMember("ids");
  if (it == doc.MemberEnd() || !it->value.IsArray()) return ids;
  for (const auto& v : it->value.GetArray()) {
    if (v.IsString()) ids.emplace_back(v.GetString());
  }
  return ids;
}

std::string Quoted(const std::string& s) { return absl::StrCat("\"", s, "\""); }

}  // namespace

absl::StatusOr<std::unique_ptr<S2Stub>> S2Stub::Start() {
  std::unique_ptr<S2Stub> stub(new S2Stub());
  stub->server_ = std::make_unique<httplib::Server>();
  S2Stub* self = stub.get();
  auto handler = [self](const httplib::Request& req, httplib::Response& res) {
    const bool papers = absl::StrContains(req.path, "/paper/batch");
    (papers ? self->paper_requests_ : self->author_requests_)++;
    std::function<void(const std::string&)> on_request;
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      on_request = self->on_request_;
    }
    if (on_request) on_request(req.path);
    std::optional<S2StubFailure> failure;
    std::vector<std::string> parts;
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      self->last_api_key_ = req.get_header_value("x-api-key");
      self->last_body_ = req.body;
      if (!self->failures_.empty()) {
        failure = self->failures_.front();
        self->failures_.pop_front();
      }
      if (!failure) {
        for (const std::string& id : RequestedIds(req.body)) {
          if (papers) {
            const std::string arxiv =
                absl::StartsWith(id, "ARXIV:") ? id.substr(6) : id;
            if (auto raw = self->raw_papers_.find(arxiv);
                raw != self->raw_papers_.end()) {
              parts.push_back(raw->second);
              continue;
            }
            auto p = self->papers_.find(arxiv);
            if (p == self->papers_.end()) {
              parts.emplace_back("null");
              continue;
            }
            std::vector<std::string> authors;
            for (const std::string& a : p->second) {
              authors.push_back(absl::StrCat("{\"authorId\":", Quoted(a),
                                             ",\"name\":\"N\"}"));
            }
            parts.push_back(absl::StrCat("{\"paperId\":\"x\",\"authors\":[",
                                         absl::StrJoin(authors, ","), "]}"));
          } else {
            if (auto raw = self->raw_authors_.find(id);
                raw != self->raw_authors_.end()) {
              parts.push_back(raw->second);
              continue;
            }
            auto a = self->authors_.find(id);
            parts.push_back(a == self->authors_.end()
                                ? "null"
                                : absl::StrCat("{\"authorId\":", Quoted(id),
                                               ",\"hIndex\":", a->second, "}"));
          }
        }
      }
    }
    if (failure == S2StubFailure::kRateLimited) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      res.set_content("{\"message\":\"Too Many Requests\"}",
                      "application/json");
      return;
    }
    if (failure == S2StubFailure::kServerError) {
      res.status = 500;
      res.set_content("{\"message\":\"Internal\"}", "application/json");
      return;
    }
    if (failure == S2StubFailure::kUnavailable) {
      res.status = 503;
      res.set_content("{\"message\":\"Unavailable\"}", "application/json");
      return;
    }
    if (failure == S2StubFailure::kGarbage) {
      res.set_content("<html>maintenance</html>", "application/json");
      return;
    }
    res.set_content(absl::StrCat("[", absl::StrJoin(parts, ","), "]"),
                    "application/json");
  };
  stub->server_->Post("/graph/v1/paper/batch", handler);
  stub->server_->Post("/graph/v1/author/batch", handler);
  absl::StatusOr<int> port = StartHttpServer(*stub->server_, stub->thread_);
  if (!port.ok()) return port.status();
  stub->port_ = *port;
  return stub;
}

S2Stub::~S2Stub() { StopHttpServer(server_.get(), thread_); }

std::string S2Stub::base_url() const {
  return absl::StrCat("http://127.0.0.1:", port_);
}

void S2Stub::AddPaper(const std::string& arxiv_id,
                      std::vector<std::string> authors) {
  std::lock_guard<std::mutex> lock(mu_);
  papers_[arxiv_id] = std::move(authors);
}

void S2Stub::AddAuthor(const std::string& author_id, int h_index) {
  std::lock_guard<std::mutex> lock(mu_);
  authors_[author_id] = h_index;
}

void S2Stub::SetRawPaperEntry(const std::string& arxiv_id, std::string json) {
  std::lock_guard<std::mutex> lock(mu_);
  raw_papers_[arxiv_id] = std::move(json);
}

void S2Stub::SetRawAuthorEntry(const std::string& author_id, std::string json) {
  std::lock_guard<std::mutex> lock(mu_);
  raw_authors_[author_id] = std::move(json);
}

void S2Stub::set_on_request(std::function<void(const std::string&)> f) {
  std::lock_guard<std::mutex> lock(mu_);
  on_request_ = std::move(f);
}

void S2Stub::PushFailure(S2StubFailure failure) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.push_back(failure);
}

std::string S2Stub::last_api_key() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_api_key_;
}

std::string S2Stub::last_body() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_body_;
}

}  // namespace arxiv_digest::testing
