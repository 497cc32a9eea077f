#include "tests/support/redis_server.h"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"

namespace arxiv_digest::testing {
namespace {

RedisReply Convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      for (size_t i = 0; i < r->elements; ++i) {
        out.elements.push_back(Convert(r->element[i]));
      }
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

absl::Status ErrorReply(const RedisReply& r, std::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat(std::string(what), ": ", r.str));
}

// True when the server answers PING with PONG (LOADING and friends: false).
bool Pong(int port) {
  auto client = RedisClient::Connect(port, std::chrono::milliseconds(200));
  if (!client.ok()) return false;
  auto reply = client->Command({"PING"});
  return reply.ok() && reply->type == RedisReply::Type::kStatus &&
         reply->str == "PONG";
}

}  // namespace

absl::StatusOr<int> PickFreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return absl::InternalError("cannot bind 127.0.0.1:0");
  }
  close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start(
    RedisServerOptions options) {
  std::unique_ptr<RedisServer> server(new RedisServer());
  server->options_ = std::move(options);
  server->dir_ = TempDir("redis-test-");
  absl::Status last = absl::UnknownError("no attempt");
  // The port picked may be taken between the probe and redis' bind; a few
  // attempts with fresh ports make that race harmless.
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto port = PickFreeLoopbackPort();
    if (!port.ok()) return port.status();
    server->port_ = *port;
    last = server->Launch();
    if (last.ok()) return server;
  }
  return last;
}

RedisServer::~RedisServer() {
  if (process_ != nullptr && process_->Running()) {
    (void)Stop();
  }
  process_.reset();
  RemoveTree(dir_);
}

std::string RedisServer::url() const {
  return absl::StrCat("redis://127.0.0.1:", port_);
}

bool RedisServer::Running() const {
  return process_ != nullptr && process_->Running();
}

absl::Status RedisServer::Launch() {
  SubprocessOptions opts;
  opts.binary = options_.binary;
  opts.args = {"--port",       std::to_string(port_),
               "--bind",       "127.0.0.1",
               "--save",       "",
               "--appendonly", options_.appendonly ? "yes" : "no",
               "--dir",        dir_,
               "--daemonize",  "no"};
  if (options_.appendonly && options_.appendfsync_always) {
    opts.args.insert(opts.args.end(), {"--appendfsync", "always"});
  }
  opts.log_dir = dir_;
  opts.name = absl::StrCat("redis-server.", generation_++);
  auto proc = Subprocess::Start(std::move(opts));
  if (!proc.ok()) return proc.status();
  process_ = std::move(*proc);

  const auto deadline =
      std::chrono::steady_clock::now() + options_.start_deadline;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->Running()) {
      return absl::UnavailableError(absl::StrCat(
          "redis-server exited during start:\n", process_->Describe()));
    }
    if (Pong(port_)) return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  process_->Kill();
  return absl::DeadlineExceededError(absl::StrCat(
      "redis-server did not answer PING in time:\n", process_->Describe()));
}

absl::Status RedisServer::Stop() {
  if (!Running()) return absl::OkStatus();
  process_->Signal(SIGTERM);
  if (process_->WaitFor(std::chrono::seconds(10)).has_value()) {
    return absl::OkStatus();
  }
  process_->Kill();
  return absl::DeadlineExceededError("redis-server ignored SIGTERM for 10 s");
}

void RedisServer::Kill() {
  if (process_ != nullptr) process_->Kill();
}

absl::Status RedisServer::Restart() {
  if (Running()) {
    if (absl::Status s = Stop(); !s.ok()) return s;
  }
  // Same port: the services' REDIS_URL must keep working. A socket of the old
  // process in TIME_WAIT does not block it (redis sets SO_REUSEADDR), but a
  // quick retry covers a slow kernel release.
  absl::Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {
    last = Launch();
    if (last.ok()) return last;
  }
  return last;
}

std::string RedisServer::Log() const {
  return process_ == nullptr ? "" : process_->Describe();
}

// ---------------------------------------------------------------------------

absl::StatusOr<RedisClient> RedisClient::Connect(
    int port, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = timeout.count() / 1000;
  tv.tv_usec = (timeout.count() % 1000) * 1000;
  redisContext* ctx = redisConnectWithTimeout("127.0.0.1", port, tv);
  if (ctx == nullptr) return absl::ResourceExhaustedError("redis: no memory");
  if (ctx->err != 0) {
    std::string msg = ctx->errstr;
    redisFree(ctx);
    return absl::UnavailableError(
        absl::StrCat("redis connect 127.0.0.1:", port, ": ", msg));
  }
  // Commands must not hang a test forever either.
  redisSetTimeout(ctx, timeval{5, 0});
  return RedisClient(ctx);
}

RedisClient::RedisClient(RedisClient&& o) noexcept
    : ctx_(std::exchange(o.ctx_, nullptr)) {}

RedisClient& RedisClient::operator=(RedisClient&& o) noexcept {
  if (this != &o) {
    if (ctx_ != nullptr) redisFree(ctx_);
    ctx_ = std::exchange(o.ctx_, nullptr);
  }
  return *this;
}

RedisClient::~RedisClient() {
  if (ctx_ != nullptr) redisFree(ctx_);
}

absl::StatusOr<RedisReply> RedisClient::Command(
    const std::vector<std::string>& args) {
  if (ctx_ == nullptr) return absl::FailedPreconditionError("not connected");
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  void* raw = redisCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(),
                               lens.data());
  if (raw == nullptr) {
    return absl::UnavailableError(absl::StrCat("redis: ", ctx_->errstr));
  }
  auto* reply = static_cast<redisReply*>(raw);
  RedisReply out = Convert(reply);
  freeReplyObject(reply);
  return out;
}

absl::StatusOr<std::optional<std::string>> RedisClient::HGet(
    const std::string& key, const std::string& field) {
  auto r = Command({"HGET", key, field});
  if (!r.ok()) return r.status();
  if (r->type == RedisReply::Type::kError) return ErrorReply(*r, "HGET");
  if (r->is_nil()) return std::optional<std::string>();
  return std::optional<std::string>(r->str);
}

absl::StatusOr<std::map<std::string, std::string>> RedisClient::HGetAll(
    const std::string& key) {
  auto r = Command({"HGETALL", key});
  if (!r.ok()) return r.status();
  if (r->type != RedisReply::Type::kArray) return ErrorReply(*r, "HGETALL");
  std::map<std::string, std::string> out;
  for (size_t i = 0; i + 1 < r->elements.size(); i += 2) {
    out[r->elements[i].str] = r->elements[i + 1].str;
  }
  return out;
}

absl::StatusOr<long long> RedisClient::XLen(const std::string& stream) {
  auto r = Command({"XLEN", stream});
  if (!r.ok()) return r.status();
  if (r->type != RedisReply::Type::kInteger) return ErrorReply(*r, "XLEN");
  return r->integer;
}

absl::StatusOr<long long> RedisClient::XPendingCount(const std::string& stream,
                                                     const std::string& group) {
  // Summary form: [count, smallest id, greatest id, [[consumer, n], ...]].
  auto r = Command({"XPENDING", stream, group});
  if (!r.ok()) return r.status();
  if (r->type != RedisReply::Type::kArray || r->elements.empty() ||
      r->elements[0].type != RedisReply::Type::kInteger) {
    return ErrorReply(*r, "XPENDING");
  }
  return r->elements[0].integer;
}

absl::StatusOr<std::vector<std::string>> RedisClient::Keys(
    const std::string& pattern) {
  auto r = Command({"KEYS", pattern});
  if (!r.ok()) return r.status();
  if (r->type != RedisReply::Type::kArray) return ErrorReply(*r, "KEYS");
  std::vector<std::string> out;
  for (const auto& e : r->elements) out.push_back(e.str);
  return out;
}

absl::StatusOr<RedisReply> RedisCommand(int port,
                                        const std::vector<std::string>& args) {
  auto client = RedisClient::Connect(port);
  if (!client.ok()) return client.status();
  return client->Command(args);
}

}  // namespace arxiv_digest::testing
