#include "services/fetcher/adapters/http_feed_source.h"

#include <filesystem>

#include "absl/strings/str_cat.h"

namespace arxiv_digest {

HttpFeedSource::HttpFeedSource(HttpClient& http, std::string base_url)
    : http_(http), base_url_(std::move(base_url)) {}

absl::StatusOr<std::string> HttpFeedSource::FetchFeed(
    const std::string& category) {
  std::string url = base_url_ + category;
  if (url.rfind("file://", 0) == 0) {
    // Saved feeds are named like the live URL's last segment plus ".xml".
    std::string path = url.substr(std::string("file://").size());
    if (!std::filesystem::exists(path) &&
        std::filesystem::exists(path + ".xml")) {
      url += ".xml";
    }
  }
  HttpRequest request;
  request.url = url;
  request.headers.emplace_back("Accept", "application/rss+xml, application/xml");
  absl::StatusOr<HttpResponse> response = http_.Send(request);
  if (!response.ok()) return response.status();
  if (response->status != 200) {
    return absl::UnavailableError(
        absl::StrCat("GET ", url, " answered HTTP ", response->status));
  }
  return std::move(response->body);
}

}  // namespace arxiv_digest
