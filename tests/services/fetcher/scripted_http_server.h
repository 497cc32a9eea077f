// A loopback HTTP server whose answers a test scripts per request: status,
// headers, body, delay. Records every request (path, query, headers).
// Header-only, test code only.
#pragma once

#include <httplib.h>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/http_server_util.h"

namespace arxiv_digest::testing {

struct ScriptedAnswer {
  ScriptedAnswer() = default;
  ScriptedAnswer(int s, std::string b,
                 std::multimap<std::string, std::string> h = {},
                 std::chrono::milliseconds d = std::chrono::milliseconds(0))
      : status(s), body(std::move(b)), headers(std::move(h)), delay(d) {}
  int status = 200;
  std::string body;
  std::multimap<std::string, std::string> headers;
  std::chrono::milliseconds delay{0};
};

struct SeenRequest {
  std::string path;
  std::map<std::string, std::string> params;  // decoded query
  std::map<std::string, std::string> headers;
};

class ScriptedHttpServer {
 public:
  // `answer` decides for each request; called under a lock.
  using Handler = std::function<ScriptedAnswer(const SeenRequest&)>;

  explicit ScriptedHttpServer(Handler handler) : handler_(std::move(handler)) {
    server_.Get(".*",
                [this](const httplib::Request& req, httplib::Response& res) {
                  SeenRequest seen;
                  seen.path = req.path;
                  for (const auto& [k, v] : req.params) seen.params[k] = v;
                  for (const auto& [k, v] : req.headers) seen.headers[k] = v;
                  ScriptedAnswer answer;
                  {
                    std::lock_guard<std::mutex> lock(mu_);
                    requests_.push_back(seen);
                    answer = handler_(seen);
                  }
                  if (answer.delay.count() > 0)
                    std::this_thread::sleep_for(answer.delay);
                  res.status = answer.status;
                  for (const auto& [k, v] : answer.headers)
                    res.set_header(k, v);
                  if (!answer.body.empty() || answer.status == 200) {
                    res.set_content(answer.body, "application/xml");
                  }
                });
    absl::StatusOr<int> port = StartHttpServer(server_, thread_);
    port_ = port.ok() ? *port : -1;
  }
  ~ScriptedHttpServer() { StopHttpServer(&server_, thread_); }

  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<SeenRequest> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = -1;
  std::mutex mu_;
  Handler handler_;
  std::vector<SeenRequest> requests_;
};

// Answers in order, repeating the last one.
inline ScriptedHttpServer::Handler Sequence(
    std::vector<ScriptedAnswer> answers) {
  auto queue = std::make_shared<std::deque<ScriptedAnswer>>(answers.begin(),
                                                            answers.end());
  return [queue](const SeenRequest&) {
    ScriptedAnswer a = queue->front();
    if (queue->size() > 1) queue->pop_front();
    return a;
  };
}

}  // namespace arxiv_digest::testing
