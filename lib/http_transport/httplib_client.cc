#include "lib/http_transport/httplib_client.h"

#include <httplib.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/http_transport/redirect_rules.h"

namespace arxiv_digest {
namespace {

using SteadyClock = std::chrono::steady_clock;

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

bool IsConditional(const HttpRequest& request) {
  for (const auto& [k, v] : request.headers) {
    std::string name = absl::AsciiStrToLower(k);
    if (name == "if-none-match" || name == "if-modified-since") return true;
  }
  return false;
}

// Cuts a call that outlives its deadline wherever it is blocked (connect,
// headers, a body that never ends): the content receiver only runs when
// body bytes arrive, so a server dripping its headers would escape it.
// httplib's stop() may be called from another thread for exactly this; it
// only reaches an open socket, so it is repeated until the call returns.
class Watchdog {
 public:
  Watchdog(httplib::Client& client,
           std::optional<SteadyClock::time_point> deadline) {
    if (!deadline) return;
    thread_ = std::thread([this, &client, at = *deadline] {
      std::unique_lock<std::mutex> lock(mu_);
      if (cv_.wait_until(lock, at, [this] { return done_; })) return;
      fired_ = true;
      while (!done_) {
        lock.unlock();
        client.stop();
        lock.lock();
        cv_.wait_for(lock, std::chrono::milliseconds(50),
                     [this] { return done_; });
      }
    });
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  ~Watchdog() { Finish(); }

  // Stops watching; true when the deadline passed and the call was cut.
  bool Finish() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    return fired_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

// "connection refused (errno 111)": strerror's text, lower-cased first
// letter, as it reads after "POST <url>: ".
std::string ErrnoText(int err) {
  std::string text = std::strerror(err);
  if (!text.empty()) {
    text[0] = absl::ascii_tolower(static_cast<unsigned char>(text[0]));
  }
  return absl::StrCat(text, " (errno ", err, ")");
}

// Why no connection could be made to `origin`, as the OS says it.
// cpp-httplib 0.11 reports only "Connection" and connects non-blocking, so
// its errno is gone; one blocking connect to the same host and port, after
// the failure only, gets it back (refused, unreachable, unknown host).
std::string ConnectFailureReason(const std::string& origin,
                                 std::chrono::milliseconds timeout) {
  const size_t scheme_end = origin.find("://");
  if (scheme_end == std::string::npos) return "cannot connect";
  const bool https = origin.compare(0, scheme_end, "https") == 0;
  std::string host_port = origin.substr(scheme_end + 3);
  if (size_t at = host_port.rfind('@'); at != std::string::npos) {
    host_port = host_port.substr(at + 1);  // user info is not the host
  }
  std::string host = host_port;
  std::string port = https ? "443" : "80";
  if (!host_port.empty() && host_port.front() == '[') {  // [::1]:8080
    const size_t close = host_port.find(']');
    host = host_port.substr(
        1, close == std::string::npos ? std::string::npos : close - 1);
    if (close != std::string::npos && close + 1 < host_port.size() &&
        host_port[close + 1] == ':') {
      port = host_port.substr(close + 2);
    }
  } else if (size_t colon = host_port.rfind(':'); colon != std::string::npos) {
    host = host_port.substr(0, colon);
    port = host_port.substr(colon + 1);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* addrs = nullptr;
  if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &addrs);
      rc != 0) {
    return absl::StrCat("cannot resolve host '", host, "': ", gai_strerror(rc));
  }
  int last_error = 0;
  for (addrinfo* a = addrs; a != nullptr; a = a->ai_next) {
    const int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) {
      last_error = errno;
      continue;
    }
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    const int rc = connect(fd, a->ai_addr, a->ai_addrlen);
    const int err = errno;
    close(fd);
    if (rc == 0) {
      freeaddrinfo(addrs);
      return "connection failed (the endpoint accepts connections again)";
    }
    // A connect cut by SO_SNDTIMEO reports EINPROGRESS.
    last_error = err == EINPROGRESS ? ETIMEDOUT : err;
  }
  freeaddrinfo(addrs);
  return last_error == 0 ? "cannot connect" : ErrnoText(last_error);
}

std::chrono::milliseconds AtMost(std::chrono::milliseconds value,
                                 std::optional<std::chrono::milliseconds> cap) {
  if (!cap) return value;
  return std::max(std::chrono::milliseconds(1), std::min(value, *cap));
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
  if (request.method != "GET" && request.method != "POST") {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported HTTP method ", request.method));
  }
  const SteadyClock::time_point started = SteadyClock::now();
  // A conditional GET's 304 Not Modified is its answer, and its other 3xx
  // answers have always been returned as they are.
  const bool follow = !IsConditional(request);
  HttpRequest hop = request;
  for (int redirects = 0;; ++redirects) {
    absl::StatusOr<HttpResponse> resp = SendOnce(hop, started);
    if (!resp.ok() || !follow || !IsFollowedRedirect(resp->status)) {
      return resp;
    }
    const std::string location = resp->Header("location");
    if (location.empty()) return resp;
    if (redirects >= options_.max_redirects) {
      return absl::UnavailableError(HttpErrorMessage(
          hop,
          absl::StrCat("more than ", options_.max_redirects, " redirects")));
    }
    absl::StatusOr<std::string> next = ResolveRedirect(hop.url, location);
    if (!next.ok()) {
      return absl::UnavailableError(
          HttpErrorMessage(hop, std::string(next.status().message())));
    }
    absl::StatusOr<UrlOrigin> from = OriginOf(hop.url);
    absl::StatusOr<UrlOrigin> to = OriginOf(*next);
    if (!from.ok() || !to.ok() || !(*from == *to)) {
      // Credentials are for the origin they were meant for; once dropped
      // they stay dropped, even if a later hop comes back.
      hop.headers =
          WithoutSensitiveHeaders(hop.headers, options_.sensitive_headers);
    }
    if (resp->status == 303 && hop.method != "GET") {
      hop.method = "GET";  // "See Other": fetch the answer, do not re-post
      hop.body.clear();
      hop.content_type.clear();
    }
    hop.url = *std::move(next);
  }
}

absl::StatusOr<HttpResponse> HttplibClient::SendOnce(
    const HttpRequest& request, SteadyClock::time_point started) const {
  absl::StatusOr<std::pair<std::string, std::string>> parts =
      SplitUrl(request.url);
  if (!parts.ok()) return parts.status();
  const std::string& origin = parts->first;

  std::optional<SteadyClock::time_point> deadline;
  std::optional<std::chrono::milliseconds> remaining;
  if (options_.total_deadline.count() > 0) {
    deadline = started + options_.total_deadline;
    remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        *deadline - SteadyClock::now());
    if (remaining->count() <= 0) {
      return absl::DeadlineExceededError(HttpErrorMessage(
          request, absl::StrCat("no complete reply within ",
                                options_.total_deadline.count(), " ms")));
    }
  }
  httplib::Client client(origin);
  client.set_connection_timeout(AtMost(options_.connect_timeout, remaining));
  client.set_read_timeout(AtMost(options_.read_timeout, remaining));
  client.set_write_timeout(AtMost(options_.read_timeout, remaining));
  client.set_follow_location(false);  // Send follows them itself

  httplib::Request req;
  req.method = request.method;
  req.path = parts->second;
  req.headers = {{"User-Agent", options_.user_agent}};
  for (const auto& [k, v] : request.headers) req.headers.emplace(k, v);
  if (request.method == "POST") {
    req.body = request.body;
    if (!req.has_header("Content-Type")) {
      req.headers.emplace("Content-Type", request.content_type.empty()
                                              ? "application/json"
                                              : request.content_type);
    }
  }

  enum class Abort { kNone, kTooLarge, kDeadline };
  Abort abort = Abort::kNone;
  std::string body;
  const size_t cap = options_.max_reply_bytes;
  auto past_deadline = [&deadline] {
    return deadline && SteadyClock::now() >= *deadline;
  };
  // A declared length over the cap is refused before any body is read.
  req.response_handler = [&](const httplib::Response& r) {
    if (r.has_header("Content-Length")) {
      const uint64_t length = r.get_header_value<uint64_t>("Content-Length");
      if (length > cap) {
        abort = Abort::kTooLarge;
        return false;
      }
    }
    if (past_deadline()) {
      abort = Abort::kDeadline;
      return false;
    }
    return true;
  };
  // The body is read here rather than into httplib's Response, so neither
  // a chunked reply without a length nor a lying Content-Length can make it
  // grow past the cap.
  req.content_receiver = [&](const char* data, size_t size, uint64_t,
                             uint64_t) {
    if (size > cap - body.size()) {
      abort = Abort::kTooLarge;
      return false;
    }
    if (past_deadline()) {
      abort = Abort::kDeadline;
      return false;
    }
    body.append(data, size);
    return true;
  };

  Watchdog watchdog(client, deadline);
  httplib::Result result = client.send(req);
  const bool cut = watchdog.Finish();
  if (abort == Abort::kTooLarge) {
    return absl::ResourceExhaustedError(HttpErrorMessage(
        request, absl::StrCat("reply larger than ", cap, " bytes")));
  }
  if (abort == Abort::kDeadline || (cut && !result)) {
    return absl::DeadlineExceededError(HttpErrorMessage(
        request, absl::StrCat("no complete reply within ",
                              options_.total_deadline.count(), " ms")));
  }
  if (!result) {
    const httplib::Error err = result.error();
    switch (err) {
      case httplib::Error::Connection:
        return absl::UnavailableError(HttpErrorMessage(
            request,
            ConnectFailureReason(
                origin, AtMost(std::min(options_.connect_timeout,
                                        std::chrono::milliseconds(2000)),
                               remaining))));
      case httplib::Error::ConnectionTimeout:
        return absl::DeadlineExceededError(HttpErrorMessage(
            request,
            absl::StrCat("no connection within ",
                         AtMost(options_.connect_timeout, remaining).count(),
                         " ms (errno ", ETIMEDOUT, ")")));
      case httplib::Error::Read:
        // cpp-httplib reports an expired read timeout as a read error.
        return absl::DeadlineExceededError(HttpErrorMessage(
            request,
            absl::StrCat("no reply within ",
                         AtMost(options_.read_timeout, remaining).count(),
                         " ms, or the connection was closed (read error)")));
      case httplib::Error::Write:
        return absl::DeadlineExceededError(HttpErrorMessage(
            request, "the request could not be sent (write error)"));
      case httplib::Error::SSLConnection:
        return absl::UnavailableError(
            HttpErrorMessage(request, "TLS handshake failed"));
      case httplib::Error::SSLServerVerification:
        return absl::UnavailableError(
            HttpErrorMessage(request, "TLS certificate verification failed"));
      default:
        return absl::UnavailableError(
            HttpErrorMessage(request, httplib::to_string(err)));
    }
  }
  HttpResponse resp;
  resp.status = result->status;
  resp.body = std::move(body);
  for (const auto& [k, v] : result->headers) {
    resp.headers.emplace(absl::AsciiStrToLower(k), v);
  }
  return resp;
}

}  // namespace arxiv_digest
