// A recording proxy in front of an OpenAiStub: the services call it as
// their OpenAI endpoint, it forwards each chat call to the stub (the
// Authorization header included, so the stub still checks the key) and
// records what the call carried, so a test sees which model, key, reader and
// papers went to which provider and which tokens each call was billed.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"

namespace httplib {
class Server;
}

namespace arxiv_digest::testing {

// One POST /v1/chat/completions as it passed the proxy.
struct LlmCall {
  std::string model;          // "" when the body names none (the probe's "{}")
  std::string authorization;  // the Authorization header
  // The X-Reader header: tests tag each reader's calls with it through the
  // provider's extra headers (OPENAI_EXTRA_HEADERS, extra_headers_env).
  std::string reader;
  bool title = false;            // a title-stage prompt
  std::vector<std::string> ids;  // the prompt's arXiv ids, in order
  // The reply's usage block (0 unless the stub answered 200).
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t cached_tokens = 0;  // usage.prompt_tokens_details.cached_tokens
};

class RecordingLlmProxy {
 public:
  explicit RecordingLlmProxy(int stub_port);
  RecordingLlmProxy(const RecordingLlmProxy&) = delete;
  RecordingLlmProxy& operator=(const RecordingLlmProxy&) = delete;
  ~RecordingLlmProxy();

  // Binds 127.0.0.1:0 and serves until destruction.
  absl::Status Start();
  std::string base_url() const;  // "http://127.0.0.1:P/v1"
  // Every call that reached the proxy, in the order they were answered.
  std::vector<LlmCall> calls() const;

 private:
  void Record(const std::string& request, const std::string& authorization,
              const std::string& reader, const std::string& reply);

  int stub_port_;
  int port_ = 0;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<LlmCall> calls_;
};

}  // namespace arxiv_digest::testing
