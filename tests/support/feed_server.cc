#include "tests/support/feed_server.h"

#include <httplib.h>

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tests/support/http_server_util.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest::testing {
namespace {

// Feed names are category lists: letters, digits, '.', '-', '+', '_'. Anything
// else (notably '/' and "..") is a 404, so a request never leaves dir_.
bool IsFeedName(const std::string& name) {
  if (name.empty() || name.find("..") != std::string::npos) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                    c == '+' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<FeedServer>> FeedServer::Start(std::string dir) {
  std::unique_ptr<FeedServer> fs(new FeedServer());
  fs->dir_ = std::move(dir);
  fs->server_ = std::make_unique<httplib::Server>();
  FeedServer* self = fs.get();
  // The regex sees the raw path: httplib matches before decoding '+'? It
  // decodes %XX in the path but keeps '+' as is (only queries map '+' to
  // space), so "/rss/cs.CL+cs.LG" arrives intact.
  fs->server_->Get(R"(/rss/([^/]+))", [self](const httplib::Request& req,
                                             httplib::Response& res) {
    const std::string name = req.matches[1];
    self->requests_.fetch_add(1);
    std::optional<FeedOverride> override_response;
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      ++self->per_name_[name];
      auto it = self->overrides_.find(name);
      if (it != self->overrides_.end()) override_response = it->second;
    }
    if (override_response.has_value()) {
      res.status = override_response->status;
      res.set_content(override_response->body,
                      override_response->content_type.c_str());
      return;
    }
    std::string body;
    if (IsFeedName(name)) {
      body = ReadFileOrEmpty(absl::StrCat(self->dir_, "/", name, ".xml"));
    }
    if (body.empty()) {
      res.status = 404;
      res.set_content(absl::StrCat("no feed ", name, "\n"), "text/plain");
      return;
    }
    res.status = 200;
    res.set_content(body, "application/rss+xml; charset=utf-8");
  });
  auto port = StartHttpServer(*fs->server_, fs->thread_);
  if (!port.ok()) return port.status();
  fs->port_ = *port;
  return fs;
}

FeedServer::~FeedServer() { Stop(); }

std::string FeedServer::base_url() const {
  return absl::StrCat("http://127.0.0.1:", port_, "/rss/");
}

void FeedServer::SetOverride(const std::string& name, FeedOverride response) {
  std::lock_guard<std::mutex> lock(mu_);
  overrides_[name] = std::move(response);
}

void FeedServer::ClearOverride(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  overrides_.erase(name);
}

int64_t FeedServer::requests_for(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = per_name_.find(name);
  return it == per_name_.end() ? 0 : it->second;
}

void FeedServer::Stop() { StopHttpServer(server_.get(), thread_); }

}  // namespace arxiv_digest::testing
