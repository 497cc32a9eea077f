#include "services/fetcher/adapters/redis_fetch_lock.h"

#include <unistd.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "lib/redis/keys.h"

namespace arxiv_digest {
namespace {

constexpr char kReleaseScript[] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then "
    "  return redis.call('DEL', KEYS[1]) "
    "end "
    "return 0";

}  // namespace

absl::StatusOr<bool> RedisFetchLock::TryAcquire(const std::string& name,
                                                std::chrono::seconds ttl) {
  std::random_device rd;
  // The pid makes the holder recognisable in redis-cli GET.
  std::string token = absl::StrCat("pid-", getpid(), "-", rd());
  absl::StatusOr<bool> taken = redis_.SetIfAbsent(
      keys::FetchLock(name), token,
      std::chrono::duration_cast<std::chrono::milliseconds>(ttl));
  if (taken.ok() && *taken) tokens_[name] = token;
  return taken;
}

absl::Status RedisFetchLock::Release(const std::string& name) {
  auto it = tokens_.find(name);
  if (it == tokens_.end()) return absl::OkStatus();
  std::string token = it->second;
  tokens_.erase(it);
  return redis_
      .Command({"EVAL", kReleaseScript, "1", keys::FetchLock(name), token})
      .status();
}

}  // namespace arxiv_digest
