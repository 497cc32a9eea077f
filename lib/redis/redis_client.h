// RAII hiredis connection with the commands the services use. One client per
// thread: hiredis contexts are not thread-safe. Every failure is a status;
// a broken connection is re-opened on the next call.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

struct redisContext;

namespace arxiv_digest {

// A decoded reply (hiredis' redisReply copied into owned values).
struct RedisReply {
  enum class Type { kNil, kString, kStatus, kInteger, kArray, kError };
  Type type = Type::kNil;
  std::string str;  // kString, kStatus, kError
  long long integer = 0;
  std::vector<RedisReply> elements;

  bool IsNil() const { return type == Type::kNil; }
};

// One stream entry: its id and field/value pairs in order.
struct StreamEntry {
  std::string id;
  std::vector<std::pair<std::string, std::string>> fields;

  // The value of a field, or nullopt.
  std::optional<std::string> Field(std::string_view name) const;
};

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string user;      // ACL user (Redis >= 6); empty: AUTH password only
  std::string password;  // empty: no AUTH
  int db = 0;
};

// Parses redis://[[user]:password@]host[:port][/db]. User and password may
// be percent-encoded (%40 for '@'); userinfo without ':' is a password
// (redis://secret@host), as before ACL users existed. rediss:// is refused
// with what to do instead: this build's hiredis (Debian 0.14) has no TLS,
// so TLS goes through a local stunnel and REDIS_URL names its plain port.
// Errors quote the URL with its password replaced by "***".
absl::StatusOr<RedisEndpoint> ParseRedisUrl(const std::string& url);

class RedisClient {
 public:
  struct Options {
    std::chrono::milliseconds connect_timeout{2000};
    // Must exceed the longest BLOCK used with XREADGROUP.
    std::chrono::milliseconds command_timeout{10000};
  };

  static absl::StatusOr<std::unique_ptr<RedisClient>> Connect(
      const std::string& url);
  static absl::StatusOr<std::unique_ptr<RedisClient>> Connect(
      const std::string& url, Options options);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Any command, binary-safe. A Redis error reply becomes a status
  // (FailedPrecondition with the server's message).
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& args);

  // Streams.
  absl::StatusOr<std::string> XAdd(
      const std::string& stream,
      const std::vector<std::pair<std::string, std::string>>& fields);
  // XGROUP CREATE ... MKSTREAM; an existing group is fine.
  absl::Status EnsureGroup(const std::string& stream, const std::string& group,
                           const std::string& start_id = "0");
  // XREADGROUP ... STREAMS stream <id>; empty on timeout. block <= 0: no
  // wait. id ">" reads new entries; "0" re-reads this consumer's own
  // pending entries (its history), e.g. after a restart under the same name.
  absl::StatusOr<std::vector<StreamEntry>> XReadGroup(
      const std::string& group, const std::string& consumer,
      const std::string& stream, int count, std::chrono::milliseconds block,
      const std::string& id = ">");
  absl::Status XAck(const std::string& stream, const std::string& group,
                    const std::vector<std::string>& ids);
  // XAUTOCLAIM stream group consumer min-idle start COUNT n. Returns the
  // claimed entries and the cursor for the next call ("0-0" when done).
  struct AutoClaimResult {
    std::string next_cursor;
    std::vector<StreamEntry> entries;
  };
  absl::StatusOr<AutoClaimResult> XAutoClaim(const std::string& stream,
                                             const std::string& group,
                                             const std::string& consumer,
                                             std::chrono::milliseconds min_idle,
                                             const std::string& start,
                                             int count);
  // Delivery count of pending entries (XPENDING extended form).
  absl::StatusOr<std::map<std::string, int64_t>> PendingDeliveries(
      const std::string& stream, const std::string& group,
      const std::vector<std::string>& ids);
  // One pending entry as XPENDING's extended form reports it.
  struct PendingEntry {
    std::string id;
    std::string consumer;
    std::chrono::milliseconds idle{0};
    int64_t deliveries = 0;
  };
  // XPENDING stream group start end count [consumer]: up to `count` pending
  // entries with ids in [start, end], in id order; one round trip for a
  // whole batch. An empty consumer means every consumer's entries.
  absl::StatusOr<std::vector<PendingEntry>> XPendingRange(
      const std::string& stream, const std::string& group,
      const std::string& start, const std::string& end, int count,
      const std::string& consumer = "");
  // XCLAIM stream group consumer min-idle ids... JUSTID: the ids now owned
  // by `consumer`. JUSTID leaves the delivery count alone and resets the
  // idle time, so claiming one's own entries with min_idle 0 renews them.
  absl::StatusOr<std::vector<std::string>> XClaimJustId(
      const std::string& stream, const std::string& group,
      const std::string& consumer, std::chrono::milliseconds min_idle,
      const std::vector<std::string>& ids);

  // Hashes and strings.
  absl::Status HSet(
      const std::string& key,
      const std::vector<std::pair<std::string, std::string>>& fields);
  absl::StatusOr<std::optional<std::string>> HGet(const std::string& key,
                                                  const std::string& field);
  absl::StatusOr<std::map<std::string, std::string>> HGetAll(
      const std::string& key);
  absl::StatusOr<int64_t> HLen(const std::string& key);
  absl::Status Set(const std::string& key, const std::string& value);
  absl::StatusOr<std::optional<std::string>> Get(const std::string& key);
  // SET key value NX PX ttl: true when this call took the key.
  absl::StatusOr<bool> SetIfAbsent(const std::string& key,
                                   const std::string& value,
                                   std::chrono::milliseconds ttl);
  absl::Status Del(const std::string& key);

 private:
  RedisClient(RedisEndpoint endpoint, Options options);
  absl::Status EnsureConnected();
  void Disconnect();

  RedisEndpoint endpoint_;
  Options options_;
  redisContext* ctx_ = nullptr;
};

}  // namespace arxiv_digest
