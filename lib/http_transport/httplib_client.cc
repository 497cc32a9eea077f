#include "lib/http_transport/httplib_client.h"

#include <httplib.h>

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace arxiv_digest {
namespace {

absl::StatusOr<HttpResponse> ReadFileUrl(const std::string& url) {
  std::string path = url.substr(std::string("file://").size());
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream buf;
  buf << in.rdbuf();
  HttpResponse resp;
  resp.status = 200;
  resp.body = buf.str();
  return resp;
}

}  // namespace

HttplibClient::HttplibClient(HttpClientOptions options)
    : options_(std::move(options)) {}

absl::StatusOr<HttpResponse> HttplibClient::Send(const HttpRequest& request) {
  if (request.url.rfind("file://", 0) == 0) {
    if (request.method != "GET") {
      return absl::InvalidArgumentError("file:// URLs support GET only");
    }
    return ReadFileUrl(request.url);
  }
  absl::StatusOr<std::pair<std::string, std::string>> parts =
      SplitUrl(request.url);
  if (!parts.ok()) return parts.status();

  httplib::Client client(parts->first);
  client.set_connection_timeout(options_.connect_timeout);
  client.set_read_timeout(options_.read_timeout);
  client.set_write_timeout(options_.read_timeout);
  // cpp-httplib 0.11 treats every 3xx as a redirect when following them, so
  // a 304 Not Modified (no Location) would come back as Error::Unknown.
  // Conditional requests therefore see 3xx answers as they are.
  bool conditional = false;
  for (const auto& [k, v] : request.headers) {
    std::string name = absl::AsciiStrToLower(k);
    conditional =
        conditional || name == "if-none-match" || name == "if-modified-since";
  }
  client.set_follow_location(!conditional);
  httplib::Headers headers = {{"User-Agent", options_.user_agent}};
  for (const auto& [k, v] : request.headers) headers.emplace(k, v);

  if (request.method != "GET" && request.method != "POST") {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported HTTP method ", request.method));
  }
  std::string type =
      request.content_type.empty() ? "application/json" : request.content_type;
  httplib::Result result =
      request.method == "GET"
          ? client.Get(parts->second, headers)
          : client.Post(parts->second, headers, request.body, type);
  if (!result) {
    httplib::Error err = result.error();
    std::string why = httplib::to_string(err);
    std::string what =
        absl::StrCat(request.method, " ", parts->first, ": ", why);
    if (err == httplib::Error::Read || err == httplib::Error::Write) {
      // cpp-httplib reports an expired read timeout as a read error.
      return absl::DeadlineExceededError(what);
    }
    return absl::UnavailableError(what);
  }
  HttpResponse resp;
  resp.status = result->status;
  resp.body = std::move(result->body);
  for (const auto& [k, v] : result->headers) {
    resp.headers.emplace(absl::AsciiStrToLower(k), v);
  }
  return resp;
}

}  // namespace arxiv_digest
