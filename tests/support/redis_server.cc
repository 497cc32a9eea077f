#include "tests/support/redis_server.h"

#include <arpa/inet.h>
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
  opts.args.insert(opts.args.end(), options_.extra_args.begin(),
                   options_.extra_args.end());
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
  ::arxiv_digest::RedisClient::Options options;
  options.connect_timeout = timeout;
  // Commands must not hang a test forever either.
  options.command_timeout = std::chrono::seconds(5);
  auto client = ::arxiv_digest::RedisClient::Connect(
      absl::StrCat("redis://127.0.0.1:", port), options);
  if (!client.ok()) return client.status();
  return RedisClient(*std::move(client));
}

absl::StatusOr<long long> RedisClient::XLen(const std::string& stream) {
  auto r = Command({"XLEN", stream});
  if (!r.ok()) return r.status();
  if (r->type != RedisReply::Type::kInteger) {
    return absl::InternalError("XLEN: not an integer reply");
  }
  return r->integer;
}

absl::StatusOr<long long> RedisClient::XPendingCount(const std::string& stream,
                                                     const std::string& group) {
  // Summary form: [count, smallest id, greatest id, [[consumer, n], ...]].
  auto r = Command({"XPENDING", stream, group});
  if (!r.ok()) return r.status();
  if (r->type != RedisReply::Type::kArray || r->elements.empty() ||
      r->elements[0].type != RedisReply::Type::kInteger) {
    return absl::InternalError("XPENDING: unexpected reply");
  }
  return r->elements[0].integer;
}

absl::StatusOr<std::vector<std::string>> RedisClient::Keys(
    const std::string& pattern) {
  auto r = Command({"KEYS", pattern});
  if (!r.ok()) return r.status();
  if (r->type != RedisReply::Type::kArray) {
    return absl::InternalError("KEYS: not an array reply");
  }
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
