#include "services/fetcher/adapters/redis_seen_store.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "lib/config/profiles.h"
#include "lib/redis/keys.h"

namespace arxiv_digest {
namespace {

// Batches keep each command small; a day is ~1000 papers.
constexpr size_t kBatch = 500;

// SET key max(old, new) EX ttl for every KEYS[i] / ARGV[i]; ARGV[#KEYS+1]
// is the TTL in seconds. One round trip per batch.
constexpr char kMarkScript[] =
    "local ttl = ARGV[#KEYS + 1] "
    "for i, key in ipairs(KEYS) do "
    "  local v = tonumber(ARGV[i]) "
    "  local old = tonumber(redis.call('GET', key) or '0') or 0 "
    "  if old > v then v = old end "
    "  redis.call('SET', key, v, 'EX', ttl) "
    "end "
    "return #KEYS";

}  // namespace

RedisSeenStore::RedisSeenStore(RedisClient& redis, std::chrono::seconds ttl,
                               const std::string& profile)
    : redis_(redis),
      ttl_(ttl),
      // Profile names cannot hold ':' and arXiv ids never do, so the
      // scoped keys never meet the default reader's.
      scope_(profile.empty() || profile == kDefaultProfile ? ""
                                                           : profile + ":") {}

std::string RedisSeenStore::Key(const std::string& arxiv_id) const {
  return keys::Seen(scope_ + arxiv_id);
}

absl::StatusOr<std::map<std::string, int>> RedisSeenStore::DeliveredVersions(
    const std::vector<std::string>& ids) {
  std::map<std::string, int> delivered;
  for (size_t start = 0; start < ids.size(); start += kBatch) {
    size_t end = std::min(ids.size(), start + kBatch);
    std::vector<std::string> args = {"MGET"};
    for (size_t i = start; i < end; ++i) args.push_back(Key(ids[i]));
    absl::StatusOr<RedisReply> reply = redis_.Command(args);
    if (!reply.ok()) return reply.status();
    if (reply->type != RedisReply::Type::kArray ||
        reply->elements.size() != end - start) {
      return absl::InternalError("MGET arxiv:seen:*: unexpected reply");
    }
    for (size_t i = start; i < end; ++i) {
      const RedisReply& r = reply->elements[i - start];
      if (r.IsNil()) continue;
      int version = 1;
      // A damaged value still means "delivered": treat it as version 1.
      if (!absl::SimpleAtoi(r.str, &version)) version = 1;
      delivered[ids[i]] = version;
    }
  }
  return delivered;
}

absl::Status RedisSeenStore::MarkDelivered(const std::vector<Paper>& papers) {
  for (size_t start = 0; start < papers.size(); start += kBatch) {
    size_t end = std::min(papers.size(), start + kBatch);
    std::vector<std::string> args = {"EVAL", kMarkScript,
                                     std::to_string(end - start)};
    for (size_t i = start; i < end; ++i) {
      args.push_back(Key(papers[i].arxiv_id));
    }
    for (size_t i = start; i < end; ++i) {
      args.push_back(std::to_string(papers[i].version));
    }
    args.push_back(std::to_string(ttl_.count()));
    absl::StatusOr<RedisReply> reply = redis_.Command(args);
    if (!reply.ok()) return reply.status();
  }
  return absl::OkStatus();
}

}  // namespace arxiv_digest
