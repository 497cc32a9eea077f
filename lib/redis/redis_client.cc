#include "lib/redis/redis_client.h"

#include <hiredis/hiredis.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/text/redact.h"

namespace arxiv_digest {
namespace {

RedisReply Convert(const redisReply* r) {
  RedisReply out;
  if (r == nullptr) return out;
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
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) {
        out.elements.push_back(Convert(r->element[i]));
      }
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv;
  tv.tv_sec = ms.count() / 1000;
  tv.tv_usec = (ms.count() % 1000) * 1000;
  return tv;
}

// [id, [field, value, ...]] -> StreamEntry; nil field lists (deleted
// entries in XAUTOCLAIM/XREADGROUP history) give an entry without fields.
std::optional<StreamEntry> ToEntry(const RedisReply& r) {
  if (r.type != RedisReply::Type::kArray || r.elements.size() != 2) {
    return std::nullopt;
  }
  StreamEntry e;
  e.id = r.elements[0].str;
  const RedisReply& kv = r.elements[1];
  for (size_t i = 0; i + 1 < kv.elements.size(); i += 2) {
    e.fields.emplace_back(kv.elements[i].str, kv.elements[i + 1].str);
  }
  return e;
}

std::vector<StreamEntry> ToEntries(const RedisReply& r) {
  std::vector<StreamEntry> out;
  for (const RedisReply& item : r.elements) {
    if (std::optional<StreamEntry> e = ToEntry(item)) {
      out.push_back(*std::move(e));
    }
  }
  return out;
}

// RFC 3986 percent-decoding of a URL's user or password; nullopt on a bad
// escape. The caller never quotes the input: it may be a password.
std::optional<std::string> PercentDecode(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int hi = i + 2 < in.size() ? hex(in[i + 1]) : -1;
    const int lo = i + 2 < in.size() ? hex(in[i + 2]) : -1;
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

}  // namespace

std::optional<std::string> StreamEntry::Field(std::string_view name) const {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return std::nullopt;
}

absl::StatusOr<RedisEndpoint> ParseRedisUrl(const std::string& url) {
  const std::string scheme = "redis://";
  if (url.compare(0, 9, "rediss://") == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "REDIS_URL: '", RedactUrlPassword(url),
        "' asks for TLS (rediss://), which this build's Redis client "
        "(hiredis 0.14) cannot speak: run stunnel next to the service "
        "(client = yes, accept = 127.0.0.1:6380, connect = <redis "
        "host>:<TLS port>) and set REDIS_URL=redis://[user:password@]"
        "127.0.0.1:6380 (deploy/README.md, 'Redis over TLS')"));
  }
  if (url.compare(0, scheme.size(), scheme) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "REDIS_URL: '", RedactUrlPassword(url), "' must start with redis://"));
  }
  RedisEndpoint ep;
  std::string rest = url.substr(scheme.size());
  // The last '@' ends the user information: a password may contain '@'.
  if (size_t at = rest.rfind('@'); at != std::string::npos) {
    std::string userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    size_t colon = userinfo.find(':');
    std::optional<std::string> user =
        colon == std::string::npos ? std::string()
                                   : PercentDecode(userinfo.substr(0, colon));
    std::optional<std::string> password = PercentDecode(
        colon == std::string::npos ? userinfo : userinfo.substr(colon + 1));
    if (!user || !password) {
      return absl::InvalidArgumentError(
          absl::StrCat("REDIS_URL: bad %-escape in the user or password of '",
                       RedactUrlPassword(url), "'"));
    }
    ep.user = *std::move(user);
    ep.password = *std::move(password);
    if (!ep.user.empty() && ep.password.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "REDIS_URL: user '", ep.user, "' without a password in '",
          RedactUrlPassword(url), "' (redis://user:password@host:port)"));
    }
  }
  if (size_t slash = rest.find('/'); slash != std::string::npos) {
    std::string db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (!db.empty() && (!absl::SimpleAtoi(db, &ep.db) || ep.db < 0)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "REDIS_URL: bad database number in '", RedactUrlPassword(url), "'"));
    }
  }
  if (size_t colon = rest.rfind(':'); colon != std::string::npos) {
    std::string port = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
    if (!absl::SimpleAtoi(port, &ep.port) || ep.port <= 0 || ep.port > 65535) {
      return absl::InvalidArgumentError(absl::StrCat(
          "REDIS_URL: bad port in '", RedactUrlPassword(url), "' (1-65535)"));
    }
  }
  if (!rest.empty()) ep.host = rest;
  return ep;
}

absl::StatusOr<std::unique_ptr<RedisClient>> RedisClient::Connect(
    const std::string& url) {
  return Connect(url, Options());
}

absl::StatusOr<std::unique_ptr<RedisClient>> RedisClient::Connect(
    const std::string& url, Options options) {
  absl::StatusOr<RedisEndpoint> ep = ParseRedisUrl(url);
  if (!ep.ok()) return ep.status();
  std::unique_ptr<RedisClient> client(new RedisClient(*ep, options));
  if (absl::Status s = client->EnsureConnected(); !s.ok()) return s;
  return client;
}

RedisClient::RedisClient(RedisEndpoint endpoint, Options options)
    : endpoint_(std::move(endpoint)), options_(options) {}

RedisClient::~RedisClient() { Disconnect(); }

void RedisClient::Disconnect() {
  if (ctx_ != nullptr) {
    redisFree(ctx_);
    ctx_ = nullptr;
  }
}

absl::Status RedisClient::EnsureConnected() {
  if (ctx_ != nullptr) return absl::OkStatus();
  timeval tv = ToTimeval(options_.connect_timeout);
  redisContext* ctx =
      redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, tv);
  if (ctx == nullptr || ctx->err) {
    std::string why = ctx ? ctx->errstr : "out of memory";
    if (ctx) redisFree(ctx);
    return absl::UnavailableError(
        absl::StrCat("redis ", endpoint_.host, ":", endpoint_.port, ": ", why));
  }
  timeval ctv = ToTimeval(options_.command_timeout);
  redisSetTimeout(ctx, ctv);
  ctx_ = ctx;
  if (!endpoint_.password.empty()) {
    // AUTH user password for an ACL user (Redis >= 6), else the legacy
    // AUTH password (requirepass, or the "default" user).
    std::vector<std::string> auth_args = {"AUTH"};
    if (!endpoint_.user.empty()) auth_args.push_back(endpoint_.user);
    auth_args.push_back(endpoint_.password);
    absl::StatusOr<RedisReply> auth = Command(auth_args);
    if (!auth.ok()) {
      Disconnect();
      // The server's reply (WRONGPASS ..., or ERR for AUTH on a Redis
      // without a password) never contains the password.
      return absl::UnauthenticatedError(absl::StrCat(
          "redis ", endpoint_.host, ":", endpoint_.port, ": AUTH as ",
          endpoint_.user.empty() ? "the default user"
                                 : absl::StrCat("user '", endpoint_.user, "'"),
          " failed (check the user and password in REDIS_URL): ",
          auth.status().message()));
    }
  }
  if (endpoint_.db != 0) {
    absl::StatusOr<RedisReply> sel =
        Command({"SELECT", std::to_string(endpoint_.db)});
    if (!sel.ok()) {
      Disconnect();
      return sel.status();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<RedisReply> RedisClient::Command(
    const std::vector<std::string>& args) {
  if (absl::Status s = EnsureConnected(); !s.ok()) return s;
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const std::string& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  void* raw = redisCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(),
                               lens.data());
  if (raw == nullptr) {
    std::string why = ctx_->errstr;
    // The context is unusable after an I/O error; reconnect next time.
    Disconnect();
    return absl::UnavailableError(
        absl::StrCat("redis ", args.empty() ? "" : args[0], ": ", why));
  }
  redisReply* reply = static_cast<redisReply*>(raw);
  RedisReply out = Convert(reply);
  freeReplyObject(reply);
  if (out.type == RedisReply::Type::kError) {
    return absl::FailedPreconditionError(
        absl::StrCat("redis ", args.empty() ? "" : args[0], ": ", out.str));
  }
  return out;
}

absl::StatusOr<std::string> RedisClient::XAdd(
    const std::string& stream,
    const std::vector<std::pair<std::string, std::string>>& fields) {
  std::vector<std::string> args = {"XADD", stream, "*"};
  for (const auto& [k, v] : fields) {
    args.push_back(k);
    args.push_back(v);
  }
  absl::StatusOr<RedisReply> r = Command(args);
  if (!r.ok()) return r.status();
  return r->str;
}

absl::Status RedisClient::EnsureGroup(const std::string& stream,
                                      const std::string& group,
                                      const std::string& start_id) {
  absl::StatusOr<RedisReply> r =
      Command({"XGROUP", "CREATE", stream, group, start_id, "MKSTREAM"});
  if (!r.ok() && r.status().message().find("BUSYGROUP") != std::string::npos) {
    return absl::OkStatus();
  }
  return r.status();
}

absl::StatusOr<std::vector<StreamEntry>> RedisClient::XReadGroup(
    const std::string& group, const std::string& consumer,
    const std::string& stream, int count, std::chrono::milliseconds block,
    const std::string& id) {
  std::vector<std::string> args = {
      "XREADGROUP", "GROUP", group, consumer, "COUNT", std::to_string(count)};
  // BLOCK 0 would wait forever; a zero block means "do not wait".
  if (block.count() > 0) {
    args.emplace_back("BLOCK");
    args.push_back(std::to_string(block.count()));
  }
  args.insert(args.end(), {"STREAMS", stream, id});
  absl::StatusOr<RedisReply> r = Command(args);
  if (!r.ok()) return r.status();
  std::vector<StreamEntry> out;
  if (r->IsNil()) return out;
  // [[stream, [entries...]], ...]
  for (const RedisReply& per_stream : r->elements) {
    if (per_stream.elements.size() == 2) {
      std::vector<StreamEntry> e = ToEntries(per_stream.elements[1]);
      out.insert(out.end(), e.begin(), e.end());
    }
  }
  return out;
}

absl::Status RedisClient::XAck(const std::string& stream,
                               const std::string& group,
                               const std::vector<std::string>& ids) {
  if (ids.empty()) return absl::OkStatus();
  std::vector<std::string> args = {"XACK", stream, group};
  args.insert(args.end(), ids.begin(), ids.end());
  return Command(args).status();
}

absl::StatusOr<RedisClient::AutoClaimResult> RedisClient::XAutoClaim(
    const std::string& stream, const std::string& group,
    const std::string& consumer, std::chrono::milliseconds min_idle,
    const std::string& start, int count) {
  absl::StatusOr<RedisReply> r = Command(
      {"XAUTOCLAIM", stream, group, consumer, std::to_string(min_idle.count()),
       start, "COUNT", std::to_string(count)});
  if (!r.ok()) return r.status();
  AutoClaimResult out;
  if (r->elements.size() >= 2) {
    out.next_cursor = r->elements[0].str;
    out.entries = ToEntries(r->elements[1]);
  }
  return out;
}

absl::StatusOr<std::map<std::string, int64_t>> RedisClient::PendingDeliveries(
    const std::string& stream, const std::string& group,
    const std::vector<std::string>& ids) {
  std::map<std::string, int64_t> out;
  for (const std::string& id : ids) {
    absl::StatusOr<RedisReply> r =
        Command({"XPENDING", stream, group, id, id, "1"});
    if (!r.ok()) return r.status();
    // [[id, consumer, idle, deliveries]]
    if (!r->elements.empty() && r->elements[0].elements.size() == 4) {
      out[id] = r->elements[0].elements[3].integer;
    }
  }
  return out;
}

absl::StatusOr<std::vector<RedisClient::PendingEntry>>
RedisClient::XPendingRange(const std::string& stream, const std::string& group,
                           const std::string& start, const std::string& end,
                           int count, const std::string& consumer) {
  std::vector<std::string> args = {"XPENDING", stream, group,
                                   start,      end,    std::to_string(count)};
  if (!consumer.empty()) args.push_back(consumer);
  absl::StatusOr<RedisReply> r = Command(args);
  if (!r.ok()) return r.status();
  std::vector<PendingEntry> out;
  // [[id, consumer, idle ms, deliveries], ...]
  for (const RedisReply& e : r->elements) {
    if (e.elements.size() != 4) continue;
    PendingEntry p;
    p.id = e.elements[0].str;
    p.consumer = e.elements[1].str;
    p.idle = std::chrono::milliseconds(e.elements[2].integer);
    p.deliveries = e.elements[3].integer;
    out.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> RedisClient::XClaimJustId(
    const std::string& stream, const std::string& group,
    const std::string& consumer, std::chrono::milliseconds min_idle,
    const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  if (ids.empty()) return out;
  std::vector<std::string> args = {"XCLAIM", stream, group, consumer,
                                   std::to_string(min_idle.count())};
  args.insert(args.end(), ids.begin(), ids.end());
  args.emplace_back("JUSTID");
  absl::StatusOr<RedisReply> r = Command(args);
  if (!r.ok()) return r.status();
  for (const RedisReply& e : r->elements) out.push_back(e.str);
  return out;
}

absl::Status RedisClient::HSet(
    const std::string& key,
    const std::vector<std::pair<std::string, std::string>>& fields) {
  if (fields.empty()) return absl::OkStatus();
  std::vector<std::string> args = {"HSET", key};
  for (const auto& [k, v] : fields) {
    args.push_back(k);
    args.push_back(v);
  }
  return Command(args).status();
}

absl::StatusOr<std::optional<std::string>> RedisClient::HGet(
    const std::string& key, const std::string& field) {
  absl::StatusOr<RedisReply> r = Command({"HGET", key, field});
  if (!r.ok()) return r.status();
  if (r->IsNil()) return std::optional<std::string>();
  return std::optional<std::string>(r->str);
}

absl::StatusOr<std::map<std::string, std::string>> RedisClient::HGetAll(
    const std::string& key) {
  absl::StatusOr<RedisReply> r = Command({"HGETALL", key});
  if (!r.ok()) return r.status();
  std::map<std::string, std::string> out;
  // Moved, not copied: a run's papers hash is about 1 MB, and a copy would
  // double the publisher's peak while both are alive.
  for (size_t i = 0; i + 1 < r->elements.size(); i += 2) {
    out.insert_or_assign(std::move(r->elements[i].str),
                         std::move(r->elements[i + 1].str));
  }
  return out;
}

absl::StatusOr<int64_t> RedisClient::HLen(const std::string& key) {
  absl::StatusOr<RedisReply> r = Command({"HLEN", key});
  if (!r.ok()) return r.status();
  return r->integer;
}

absl::Status RedisClient::Set(const std::string& key,
                              const std::string& value) {
  return Command({"SET", key, value}).status();
}

absl::StatusOr<std::optional<std::string>> RedisClient::Get(
    const std::string& key) {
  absl::StatusOr<RedisReply> r = Command({"GET", key});
  if (!r.ok()) return r.status();
  if (r->IsNil()) return std::optional<std::string>();
  return std::optional<std::string>(r->str);
}

absl::StatusOr<bool> RedisClient::SetIfAbsent(const std::string& key,
                                              const std::string& value,
                                              std::chrono::milliseconds ttl) {
  absl::StatusOr<RedisReply> r =
      Command({"SET", key, value, "NX", "PX", std::to_string(ttl.count())});
  if (!r.ok()) return r.status();
  return !r->IsNil();
}

absl::Status RedisClient::Del(const std::string& key) {
  return Command({"DEL", key}).status();
}

}  // namespace arxiv_digest
