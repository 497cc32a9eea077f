// A Semantic Scholar Graph API stand-in on loopback (port 0) for the
// h-index stage: POST /graph/v1/paper/batch and /graph/v1/author/batch
// answer from the papers and authors it is given (null for unknown ids),
// and it can be scripted to answer 429 + Retry-After, 5xx, a garbage body,
// or one malformed entry inside an otherwise good batch reply.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace arxiv_digest::testing {

// kRateLimited: 429 + Retry-After: 1; kServerError: 500; kUnavailable: 503
// without Retry-After; kGarbage: a 200 whose body is not JSON.
enum class S2StubFailure { kRateLimited, kGarbage, kServerError, kUnavailable };

class S2Stub {
 public:
  static absl::StatusOr<std::unique_ptr<S2Stub>> Start();
  ~S2Stub();
  S2Stub(const S2Stub&) = delete;
  S2Stub& operator=(const S2Stub&) = delete;

  std::string base_url() const;  // "http://127.0.0.1:P"
  // arXiv id (version-less) -> its authors' S2 ids.
  void AddPaper(const std::string& arxiv_id, std::vector<std::string> authors);
  void AddAuthor(const std::string& author_id, int h_index);
  // The entry answered for this id, verbatim (e.g. a malformed object),
  // instead of one built from AddPaper / AddAuthor.
  void SetRawPaperEntry(const std::string& arxiv_id, std::string json);
  void SetRawAuthorEntry(const std::string& author_id, std::string json);
  // Called on the server thread when a request arrives, before it is
  // answered, with the request path (e.g. to look at shared state that the
  // client must have touched before sending).
  void set_on_request(std::function<void(const std::string& path)> f);
  // The next requests fail this way, in order (Retry-After: 1 on 429).
  void PushFailure(S2StubFailure failure);

  int paper_requests() const { return paper_requests_.load(); }
  int author_requests() const { return author_requests_.load(); }
  std::string last_api_key() const;
  std::string last_body() const;

 private:
  S2Stub() = default;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::map<std::string, std::vector<std::string>> papers_;
  std::map<std::string, int> authors_;
  std::map<std::string, std::string> raw_papers_;
  std::map<std::string, std::string> raw_authors_;
  std::function<void(const std::string&)> on_request_;
  std::deque<S2StubFailure> failures_;
  std::string last_api_key_;
  std::string last_body_;
  std::atomic<int> paper_requests_{0};
  std::atomic<int> author_requests_{0};
};

}  // namespace arxiv_digest::testing
