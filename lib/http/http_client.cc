#include "lib/http/http_client.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "lib/text/redact.h"

namespace arxiv_digest {
namespace {

// Query parameter names that carry credentials (api_key, access_token,
// X-Amz-Signature, client_secret, password, ...).
bool IsSecretParameter(std::string name) {
  name = absl::AsciiStrToLower(name);
  for (const char* word :
       {"key", "token", "secret", "pass", "signature", "sig", "auth"}) {
    if (name.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::string UrlForMessage(const std::string& url) {
  std::string out = RedactUrlPassword(url);
  const size_t query = out.find('?');
  if (query == std::string::npos) return out;
  const size_t fragment = out.find('#', query);
  const std::string tail =
      fragment == std::string::npos ? "" : out.substr(fragment);
  std::string params = out.substr(query + 1, fragment == std::string::npos
                                                 ? std::string::npos
                                                 : fragment - query - 1);
  out.resize(query + 1);
  size_t start = 0;
  while (start <= params.size()) {
    size_t end = params.find('&', start);
    if (end == std::string::npos) end = params.size();
    std::string param = params.substr(start, end - start);
    const size_t eq = param.find('=');
    if (eq != std::string::npos && IsSecretParameter(param.substr(0, eq))) {
      param = param.substr(0, eq + 1) + "***";
    }
    out += param;
    if (end < params.size()) out += '&';
    start = end + 1;
  }
  return out + tail;
}

std::string HttpStatusText(int status) {
  const char* reason = nullptr;
  switch (status) {
    case 200:
      reason = "OK";
      break;
    case 301:
      reason = "Moved Permanently";
      break;
    case 302:
      reason = "Found";
      break;
    case 304:
      reason = "Not Modified";
      break;
    case 400:
      reason = "Bad Request";
      break;
    case 401:
      reason = "Unauthorized";
      break;
    case 403:
      reason = "Forbidden";
      break;
    case 404:
      reason = "Not Found";
      break;
    case 405:
      reason = "Method Not Allowed";
      break;
    case 408:
      reason = "Request Timeout";
      break;
    case 409:
      reason = "Conflict";
      break;
    case 413:
      reason = "Content Too Large";
      break;
    case 415:
      reason = "Unsupported Media Type";
      break;
    case 422:
      reason = "Unprocessable Content";
      break;
    case 429:
      reason = "Too Many Requests";
      break;
    case 500:
      reason = "Internal Server Error";
      break;
    case 501:
      reason = "Not Implemented";
      break;
    case 502:
      reason = "Bad Gateway";
      break;
    case 503:
      reason = "Service Unavailable";
      break;
    case 504:
      reason = "Gateway Timeout";
      break;
    default:
      break;
  }
  return reason == nullptr ? absl::StrCat("HTTP ", status)
                           : absl::StrCat("HTTP ", status, " ", reason);
}

std::string HttpErrorMessage(const HttpRequest& request,
                             const std::string& what) {
  std::string url = UrlForMessage(request.url);
  if (request.secret_path) {
    absl::StatusOr<std::pair<std::string, std::string>> parts =
        SplitUrl(request.url);
    url = parts.ok() ? absl::StrCat(UrlForMessage(parts->first), "/***")
                     : "(secret URL)";
  }
  return absl::StrCat(request.method, " ", url, ": ", what);
}

std::string HttpResponse::Header(const std::string& name) const {
  auto it = headers.find(absl::AsciiStrToLower(name));
  return it == headers.end() ? std::string() : it->second;
}

absl::StatusOr<std::pair<std::string, std::string>> SplitUrl(
    const std::string& url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("not a URL: '", url, "'"));
  }
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported URL scheme '", scheme, "' in ", url));
  }
  size_t path_start = url.find('/', scheme_end + 3);
  if (path_start == std::string::npos) return std::make_pair(url, "/");
  return std::make_pair(url.substr(0, path_start), url.substr(path_start));
}

}  // namespace arxiv_digest
