#include "lib/redis/rate_limiter.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace arxiv_digest {
namespace {

// Atomic check-and-take; returns the wait in ms (0 = granted).
constexpr char kTokenBucketScript[] = R"lua(
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local amount = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= amount then
  tokens = tokens - amount
else
  wait = math.ceil((amount - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 1000)
return wait
)lua";

}  // namespace

RedisTokenBucket::RedisTokenBucket(RedisClient& redis, std::string key,
                                   double capacity,
                                   std::chrono::milliseconds period)
    : redis_(redis),
      key_(std::move(key)),
      capacity_(capacity),
      refill_per_ms_(capacity / static_cast<double>(
                                    std::max<int64_t>(1, period.count()))) {}

absl::StatusOr<std::chrono::milliseconds> RedisTokenBucket::TryAcquire(
    double amount) {
  double take = std::min(amount, capacity_);
  absl::StatusOr<RedisReply> r = redis_.Command(
      {"EVAL", kTokenBucketScript, "1", key_, absl::StrCat(capacity_),
       absl::StrCat(refill_per_ms_), absl::StrCat(take)});
  if (!r.ok()) return r.status();
  return std::chrono::milliseconds(r->integer);
}

}  // namespace arxiv_digest
