#include "services/api/adapters/watch_scheduler.h"

#include <vector>

namespace arxiv_digest::api {

WatchScheduler::WatchScheduler() : thread_([this] { Loop(); }) {}

WatchScheduler::~WatchScheduler() { Stop(); }

void WatchScheduler::Schedule(std::chrono::milliseconds delay, Callback cb) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      queue_.emplace(std::chrono::steady_clock::now() + delay, std::move(cb));
      cv_.notify_one();
      return;
    }
  }
  cb(true);
}

void WatchScheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void WatchScheduler::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (stopping_) {
      std::multimap<std::chrono::steady_clock::time_point, Callback> rest;
      rest.swap(queue_);
      lock.unlock();
      for (auto& [when, cb] : rest) cb(true);
      return;
    }
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto first = queue_.begin();
    if (first->first > std::chrono::steady_clock::now()) {
      cv_.wait_until(lock, first->first);
      continue;
    }
    Callback cb = std::move(first->second);
    queue_.erase(first);
    // Callbacks poll Redis and start writes: never under the lock.
    lock.unlock();
    cb(false);
    lock.lock();
  }
}

}  // namespace arxiv_digest::api
