// Feeds over HTTP(S) from rss.arxiv.org (or a test server), or from a
// file:// folder holding "<category>.xml" files (the offline demo), with
// conditional GET: the ETag / Last-Modified of the last committed fetch are
// sent back, and 304 Not Modified means "not updated".
#pragma once

#include <map>
#include <string>

#include "lib/http/http_client.h"
#include "services/fetcher/logic/fetch_ports.h"

namespace arxiv_digest {

struct HttpValidators {
  std::string etag;
  std::string last_modified;
};

// Validators per URL (Redis in production).
class HttpValidatorStore {
 public:
  virtual ~HttpValidatorStore() = default;
  virtual absl::StatusOr<HttpValidators> Get(const std::string& url) = 0;
  virtual absl::Status Put(const std::string& url,
                           const HttpValidators& validators) = 0;
};

class HttpFeedSource : public FeedSource {
 public:
  // base_url is ARXIV_RSS_URL; the category is appended to it. `validators`
  // may be null: no conditional GET.
  HttpFeedSource(HttpClient& http, std::string base_url,
                 HttpValidatorStore* validators = nullptr);
  absl::StatusOr<FeedFetch> FetchFeed(const std::string& category,
                                      bool conditional) override;
  absl::Status CommitFeeds(const std::vector<std::string>& categories) override;

 private:
  HttpClient& http_;
  std::string base_url_;
  HttpValidatorStore* validators_;
  // category -> (url, validators of this cycle's 200 answer), until commit.
  std::map<std::string, std::pair<std::string, HttpValidators>> pending_;
};

}  // namespace arxiv_digest
