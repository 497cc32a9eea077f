#include "services/scorer/adapters/pending_heartbeat.h"

#include <algorithm>

#include "lib/log/log.h"

namespace arxiv_digest {

PendingHeartbeat::PendingHeartbeat(StreamConsumer& consumer, RedisClient& redis,
                                   std::vector<std::string> ids,
                                   std::chrono::milliseconds interval)
    : consumer_(consumer),
      redis_(redis),
      ids_(std::move(ids)),
      interval_(std::max(interval, std::chrono::milliseconds(1))),
      thread_([this] { Loop(); }) {}

PendingHeartbeat::~PendingHeartbeat() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void PendingHeartbeat::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  // A real-time wait on purpose: Redis measures the entries' idle time in
  // real time, whatever clock the worker was given.
  while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
    lock.unlock();
    absl::StatusOr<std::vector<std::string>> renewed =
        consumer_.KeepAlive(redis_, ids_);
    if (!renewed.ok()) {
      // Not fatal: at worst another replica takes the entries over.
      LogWarning("could not renew pending entries",
                 {{"error", std::string(renewed.status().message())}});
    }
    lock.lock();
  }
}

}  // namespace arxiv_digest
