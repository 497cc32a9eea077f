// A Slack Web API stub on loopback: POST /api/chat.postMessage with a bot
// token, answered like Slack ({"ok":true,"ts":...} or {"ok":false,
// "error":...}) and recorded, so tests can check the header + thread
// structure and thread_ts usage. Can be scripted to answer 429 with
// Retry-After or a Slack error.
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace arxiv_digest::testing {

struct SlackStubPost {
  std::string authorization;  // the Authorization header
  std::string content_type;
  std::string channel;
  std::string text;
  std::string thread_ts;    // empty for a top-level message
  std::string blocks_json;  // the "blocks" array, re-serialised
  int block_count = 0;
  std::string ts;  // the ts the stub answered with ("" when it failed)
  std::string body;
};

// One scripted answer, used instead of success for the next request.
struct SlackStubAnswer {
  int http_status = 200;
  std::string retry_after;  // header, when set
  std::string slack_error;  // {"ok":false,"error":...} when set
};

class SlackApiStub {
 public:
  // Accepts only "Bearer <token>"; other tokens get ok:false invalid_auth.
  explicit SlackApiStub(std::string token);
  ~SlackApiStub();
  SlackApiStub(const SlackApiStub&) = delete;
  SlackApiStub& operator=(const SlackApiStub&) = delete;

  // http://127.0.0.1:<port>/api (the sink appends /chat.postMessage).
  std::string base_url() const;
  void Script(std::vector<SlackStubAnswer> answers);
  // Every request, in arrival order (failed ones included).
  std::vector<SlackStubPost> posts() const;

 private:
  std::string token_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::deque<SlackStubAnswer> script_;
  std::vector<SlackStubPost> posts_;
  int next_ts_ = 1;
};

}  // namespace arxiv_digest::testing
