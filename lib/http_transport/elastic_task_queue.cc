#include "lib/http_transport/elastic_task_queue.h"

#include <algorithm>
#include <utility>

namespace arxiv_digest {

ElasticTaskQueue::ElasticTaskQueue(size_t core, size_t max_threads)
    : max_threads_(std::max<size_t>({1, core, max_threads})) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < std::max<size_t>(1, core); ++i) {
    threads_.emplace_back([this] { Work(); });
  }
}

ElasticTaskQueue::~ElasticTaskQueue() { shutdown(); }

void ElasticTaskQueue::enqueue(std::function<void()> fn) {
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_) {
    // No worker is left to run it, and the job owns a socket to close.
    lock.unlock();
    fn();
    return;
  }
  jobs_.push_back(std::move(fn));
  // Every worker is busy (e.g. with slow clients): one more, if allowed.
  if (idle_ < jobs_.size() && threads_.size() < max_threads_) {
    threads_.emplace_back([this] { Work(); });
  }
  cv_.notify_one();
}

void ElasticTaskQueue::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (std::thread& t : threads) {
    if (t.joinable()) t.join();
  }
}

size_t ElasticTaskQueue::threads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return threads_.size();
}

void ElasticTaskQueue::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    ++idle_;
    cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    --idle_;
    // The queue drains before the workers stop: each job owns a socket.
    if (jobs_.empty()) return;
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

}  // namespace arxiv_digest
