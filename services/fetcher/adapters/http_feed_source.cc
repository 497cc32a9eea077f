#include "services/fetcher/adapters/http_feed_source.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "lib/log/log.h"

namespace arxiv_digest {

HttpFeedSource::HttpFeedSource(HttpClient& http, std::string base_url,
                               HttpValidatorStore* validators)
    : http_(http), base_url_(std::move(base_url)), validators_(validators) {}

absl::StatusOr<FeedFetch> HttpFeedSource::FetchFeed(const std::string& category,
                                                    bool conditional) {
  std::string url = base_url_ + category;
  bool is_file = url.rfind("file://", 0) == 0;
  if (is_file) {
    // Saved feeds are named like the live URL's last segment plus ".xml".
    std::string path = url.substr(std::string("file://").size());
    if (!std::filesystem::exists(path) &&
        std::filesystem::exists(path + ".xml")) {
      url += ".xml";
    }
  }
  HttpRequest request;
  request.url = url;
  request.headers.emplace_back("Accept",
                               "application/rss+xml, application/xml");
  bool sent_validators = false;
  if (conditional && !is_file && validators_ != nullptr) {
    absl::StatusOr<HttpValidators> cached = validators_->Get(url);
    if (!cached.ok()) {
      // Only an optimisation: fetch in full rather than fail.
      LogWarning(
          "HTTP validators unavailable",
          {{"url", url}, {"error", std::string(cached.status().message())}});
    } else {
      if (!cached->etag.empty()) {
        request.headers.emplace_back("If-None-Match", cached->etag);
        sent_validators = true;
      }
      if (!cached->last_modified.empty()) {
        request.headers.emplace_back("If-Modified-Since",
                                     cached->last_modified);
        sent_validators = true;
      }
    }
  }
  absl::StatusOr<HttpResponse> response = http_.Send(request);
  if (!response.ok()) return response.status();
  FeedFetch fetch;
  if (response->status == 304 && sent_validators) {
    fetch.not_modified = true;
    return fetch;
  }
  if (response->status != 200) {
    return absl::UnavailableError(
        absl::StrCat("GET ", url, " answered HTTP ", response->status));
  }
  if (!is_file) {
    pending_[category] = {url,
                          HttpValidators{response->Header("etag"),
                                         response->Header("last-modified")}};
  }
  fetch.body = std::move(response->body);
  return fetch;
}

absl::Status HttpFeedSource::CommitFeeds(
    const std::vector<std::string>& categories) {
  absl::Status first = absl::OkStatus();
  for (const std::string& category : categories) {
    auto it = pending_.find(category);
    if (it == pending_.end()) continue;
    if (validators_ != nullptr) {
      absl::Status s = validators_->Put(it->second.first, it->second.second);
      if (!s.ok() && first.ok()) first = s;
    }
    pending_.erase(it);
  }
  return first;
}

}  // namespace arxiv_digest
