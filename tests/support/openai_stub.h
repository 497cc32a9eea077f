// An OpenAI-compatible /v1/chat/completions server on loopback. The scorer's
// real HTTP client talks to it through OPENAI_BASE_URL; it scores every
// "ArXiv ID: X" line of the prompt deterministically, so tests compute the
// expected digest independently, and it can be scripted to fail.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace arxiv_digest::testing {

// The scores the stub gives a paper: a pure function of its id.
struct StubScore {
  int relevance = 0;  // 1..10
  int novelty = 0;    // 1..10
  std::string comment;
};
// With a salt (a "Stub salt: X" line anywhere in the prompt, e.g. in the
// topics of a rescore), the scores are a different pure function: tests
// see a different digest when the interests change.
StubScore StubScoreFor(std::string_view arxiv_id, std::string_view salt = "");
std::string StubSaltOf(std::string_view prompt);

// Token usage the stub reports for a prompt (all message contents joined)
// and a reply content: prompt_tokens = ceil(bytes/4), completion likewise,
// cached_tokens = the part before "## Papers" in 128-token steps once it
// reaches 1024 tokens (OpenAI's prompt-caching granularity), else 0.
struct StubUsage {
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t cached_tokens = 0;
  int64_t total_tokens() const { return prompt_tokens + completion_tokens; }
};
StubUsage StubUsageFor(std::string_view prompt, std::string_view completion);

// The ids of every line starting with "ArXiv ID: ", in prompt order.
std::vector<std::string> ExtractPromptArxivIds(std::string_view prompt);

// The JSONL reply content the stub sends for these ids (one line each).
std::string StubReplyContent(const std::vector<std::string>& ids,
                             std::string_view salt = "");

// A title-stage prompt (the seed tool's title pre-filter): paper blocks
// with "ArXiv ID:" but no "Abstract:" lines.
bool IsTitlePrompt(std::string_view prompt);
// The stub's title-stage answer: a JSON list of the ids whose stub
// relevance (StubScoreFor) is below kStubTitleDropBelow. Such papers can
// never reach the digest's cut-offs, so a run with the title stage on
// selects exactly the papers it selects without it.
inline constexpr int kStubTitleDropBelow = 4;
std::string StubTitleReplyContent(const std::vector<std::string>& ids,
                                  std::string_view salt = "");

// The stub's healthy answer to a prompt: the title-stage or scoring reply
// for its ids (with its salt) and the usage it reports. The HTTP stub
// sends exactly this when no failure is scripted; benchmarks answer in
// process with it.
struct StubAnswer {
  std::string content;
  StubUsage usage;
};
StubAnswer StubAnswerFor(std::string_view prompt);

enum class StubFailureKind {
  kRateLimited,     // 429, Retry-After: retry_after_seconds, OpenAI error body
  kServerError,     // 500, OpenAI error body
  kUnauthorized,    // 401 even with the right key
  kGarbageBody,     // 200, Content-Type JSON, body is not JSON
  kFencedReply,     // 200, content is prose + ```jsonl fences around the lines
  kOmitIds,         // 200, the last `omit_count` ids of the prompt are missing
  kDropConnection,  // headers sent, then the connection closes mid-body
  kNone,            // a normal reply: spaces failures out in a script
};

struct StubFailure {
  StubFailureKind kind = StubFailureKind::kNone;
  int retry_after_seconds = 1;  // kRateLimited
  int omit_count = 1;           // kOmitIds
};

struct OpenAiStubOptions {
  std::string api_key = "test-openai-key";
  std::chrono::milliseconds latency{0};
  int threads = 16;  // server workers: bounds the concurrency it can observe
};

class OpenAiStub {
 public:
  static absl::StatusOr<std::unique_ptr<OpenAiStub>> Start(
      OpenAiStubOptions options = {});

  OpenAiStub(const OpenAiStub&) = delete;
  OpenAiStub& operator=(const OpenAiStub&) = delete;
  ~OpenAiStub();

  int port() const { return port_; }
  std::string base_url() const;  // "http://127.0.0.1:P/v1"
  // "http://127.0.0.1:P/<client>/v1": same behaviour, but requests through
  // it are also counted under `client` ([A-Za-z0-9_-]+), so a test can tell
  // which of several scorer processes did the work.
  std::string base_url(std::string_view client) const;
  std::string api_key() const;

  // Thread-safe configuration, effective for the next request.
  void SetApiKey(std::string key);
  void SetLatency(std::chrono::milliseconds latency);
  // Scripted failures are consumed one per authorised request, in order.
  void PushFailure(StubFailure failure, int times = 1);
  size_t pending_failures() const;

  // Counters. requests(): every POST to /v1/chat/completions.
  int64_t requests() const { return requests_.load(); }
  // Replies with status 200 and parseable scores (plain, fenced, omitting).
  int64_t scored_replies() const { return scored_replies_.load(); }
  // Title-stage prompts answered (not counted in scored_replies/ids).
  int64_t title_replies() const { return title_replies_.load(); }
  int max_concurrent() const { return max_concurrent_.load(); }
  // Every id the stub returned a score for, once per reply (a multiset:
  // an id appearing twice was scored twice).
  std::vector<std::string> scored_ids() const;
  std::map<std::string, int> score_counts() const;
  // Sum of the usage blocks of the scored replies.
  StubUsage total_usage() const;
  // scored_replies() per client tag ("" for the plain base_url()).
  std::map<std::string, int64_t> scored_replies_by_client() const;
  std::vector<std::string> models_requested() const;
  std::string last_prompt() const;
  // The raw JSON body and a header (case-insensitive name) of the latest
  // request, to check provider options (max_tokens, json_mode, extra
  // headers, temperature left out).
  std::string last_request_body() const;
  std::string last_request_header(const std::string& name) const;

  void Stop();

 private:
  OpenAiStub() = default;
  void RecordRequest(std::string body,
                     std::map<std::string, std::string> headers);
  void Handle(const std::string& client, const std::string& auth,
              const std::string& body, int& status, std::string& response_body,
              std::string& content_type,
              std::map<std::string, std::string>& headers, bool& drop);

  int port_ = 0;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;

  std::atomic<int64_t> requests_{0};
  std::atomic<int64_t> scored_replies_{0};
  std::atomic<int64_t> title_replies_{0};
  std::atomic<int> in_flight_{0};
  std::atomic<int> max_concurrent_{0};

  mutable std::mutex mu_;  // guards everything below
  std::string api_key_;
  std::chrono::milliseconds latency_{0};
  std::deque<StubFailure> failures_;
  std::vector<std::string> scored_ids_;
  std::vector<std::string> models_;
  std::map<std::string, int64_t> scored_by_client_;
  std::string last_prompt_;
  std::string last_request_body_;
  std::map<std::string, std::string> last_request_headers_;
  StubUsage total_usage_;
  int64_t next_completion_id_ = 1;
};

}  // namespace arxiv_digest::testing
