// Feeds over HTTP(S) from rss.arxiv.org (or a test server), or from a
// file:// folder holding "<category>.xml" files (the offline demo).
#pragma once

#include <string>

#include "lib/http/http_client.h"
#include "services/fetcher/logic/fetch_cycle.h"

namespace arxiv_digest {

class HttpFeedSource : public FeedSource {
 public:
  // base_url is ARXIV_RSS_URL; the category is appended to it.
  HttpFeedSource(HttpClient& http, std::string base_url);
  absl::StatusOr<std::string> FetchFeed(const std::string& category) override;

 private:
  HttpClient& http_;
  std::string base_url_;
};

}  // namespace arxiv_digest
