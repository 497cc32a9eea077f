#include "services/fetcher/adapters/request_gate.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "lib/core/shutdown.h"
#include "lib/log/log.h"

namespace arxiv_digest {
namespace {

std::string RandomToken() {
  std::random_device rd;
  return absl::StrCat(rd(), "-", rd());
}

// Compare-and-shorten: only the owner may set the key's remaining life.
constexpr char kReleaseScript[] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then "
    "  if tonumber(ARGV[2]) > 0 then "
    "    return redis.call('PEXPIRE', KEYS[1], ARGV[2]) "
    "  end "
    "  return redis.call('DEL', KEYS[1]) "
    "end "
    "return 0";

}  // namespace

RedisRequestGate::RedisRequestGate(RedisClient& redis, Clock& clock,
                                   Options options,
                                   std::function<void(double)> on_wait)
    : redis_(redis),
      clock_(clock),
      options_(std::move(options)),
      on_wait_(std::move(on_wait)) {}

absl::Status RedisRequestGate::Acquire() {
  token_ = RandomToken();
  auto start = clock_.Now();
  while (true) {
    absl::StatusOr<bool> taken =
        redis_.SetIfAbsent(options_.key, token_, options_.hold);
    if (!taken.ok()) return taken.status();
    auto waited = clock_.Now() - start;
    if (*taken) {
      double seconds = std::chrono::duration<double>(waited).count();
      if (seconds > 0 && on_wait_) on_wait_(seconds);
      return absl::OkStatus();
    }
    if (waited >= options_.max_wait) {
      return absl::DeadlineExceededError(absl::StrCat(
          "waited ",
          std::chrono::duration_cast<std::chrono::seconds>(waited).count(),
          " s for the arXiv request slot ", options_.key));
    }
    // Sleep until the key should expire, in bounded steps.
    std::chrono::milliseconds step = options_.poll;
    absl::StatusOr<RedisReply> pttl = redis_.Command({"PTTL", options_.key});
    if (pttl.ok() && pttl->type == RedisReply::Type::kInteger &&
        pttl->integer > 0) {
      step = std::min(step, std::chrono::milliseconds(pttl->integer));
    }
    clock_.SleepFor(std::max(step, std::chrono::milliseconds(1)));
    // The sleep ends early on shutdown; polling on without it would hammer
    // Redis until the slot frees.
    if (ShutdownRequested()) {
      return absl::CancelledError(absl::StrCat(
          "shutting down while waiting for the arXiv request slot ",
          options_.key));
    }
  }
}

void RedisRequestGate::Release() {
  absl::StatusOr<RedisReply> r =
      redis_.Command({"EVAL", kReleaseScript, "1", options_.key, token_,
                      std::to_string(options_.min_interval.count())});
  if (!r.ok()) {
    // The key still expires after `hold`; other replicas wait longer.
    LogWarning(
        "could not release the arXiv request slot",
        {{"key", options_.key}, {"error", std::string(r.status().message())}});
  }
}

}  // namespace arxiv_digest
