#include "services/api/adapters/work_budget.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace arxiv_digest::api {
namespace {

// KEYS[1] hash {papers, tokens, ts}; ARGV: period ms, then capacity and
// amount per unit (capacity 0 = unlimited). Returns the wait in ms
// (0 = taken). Refill is continuous: capacity per period.
constexpr char kWorkBudgetScript[] = R"lua(
local period = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'papers', 'tokens', 'ts')
local ts = tonumber(state[3]) or now
local elapsed = math.max(0, now - ts)
local names = {'papers', 'tokens'}
local levels = {}
local wait = 0
for i = 1, 2 do
  local capacity = tonumber(ARGV[2 * i])
  local amount = tonumber(ARGV[2 * i + 1])
  if capacity > 0 then
    local rate = capacity / period
    local level = math.min(capacity,
                           (tonumber(state[i]) or capacity) + elapsed * rate)
    levels[i] = level
    if level < amount then
      wait = math.max(wait, math.ceil((amount - level) / rate))
    end
  end
end
if wait == 0 then
  for i = 1, 2 do
    if levels[i] then levels[i] = levels[i] - tonumber(ARGV[2 * i + 1]) end
  end
end
for i = 1, 2 do
  if levels[i] then
    redis.call('HSET', KEYS[1], names[i], tostring(levels[i]))
  end
end
redis.call('HSET', KEYS[1], 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], period + 1000)
return wait
)lua";

}  // namespace

WorkBudget::WorkBudget(RedisClient& redis, std::string key, WorkAmount capacity,
                       std::chrono::milliseconds period)
    : redis_(redis),
      key_(std::move(key)),
      capacity_(capacity),
      period_(std::max(std::chrono::milliseconds(1), period)) {}

absl::StatusOr<std::chrono::milliseconds> WorkBudget::TryTake(
    WorkAmount amount) {
  if ((capacity_.papers > 0 && amount.papers > capacity_.papers) ||
      (capacity_.tokens > 0 && amount.tokens > capacity_.tokens)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Rescore of ", amount.papers, " papers (about ", amount.tokens,
        " tokens) exceeds the daily budget of ", capacity_.papers,
        " papers and ", capacity_.tokens, " tokens"));
  }
  if (capacity_.papers <= 0 && capacity_.tokens <= 0) {
    return std::chrono::milliseconds(0);
  }
  absl::StatusOr<RedisReply> r = redis_.Command(
      {"EVAL", kWorkBudgetScript, "1", key_, absl::StrCat(period_.count()),
       absl::StrCat(capacity_.papers), absl::StrCat(amount.papers),
       absl::StrCat(capacity_.tokens), absl::StrCat(amount.tokens)});
  if (!r.ok()) return r.status();
  return std::chrono::milliseconds(r->integer);
}

}  // namespace arxiv_digest::api
