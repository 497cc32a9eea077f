// A cpp-httplib TaskQueue for servers that face slow clients (the web site;
// the admin port's /healthz should use it too). cpp-httplib's own pool has
// a fixed number of workers and its read timeout is per read, so a client
// dripping its request one byte at a time holds a worker as long as it
// likes: 8 such clients (the default pool on 2 cores) and every other
// request waits. Here `core` workers serve as usual and, whenever a
// connection waits while none is idle, one more thread starts, up to
// `max_threads` in all; past that connections queue. So slow clients cost
// a thread each but never make a fast request wait until there are
// max_threads of them. Threads are kept once started (bounded by
// max_threads) and all are joined on shutdown, after the queue drains.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace arxiv_digest {

class ElasticTaskQueue : public httplib::TaskQueue {
 public:
  ElasticTaskQueue(size_t core, size_t max_threads);
  ~ElasticTaskQueue() override;
  ElasticTaskQueue(const ElasticTaskQueue&) = delete;
  ElasticTaskQueue& operator=(const ElasticTaskQueue&) = delete;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  // Threads started so far (tests).
  size_t threads() const;

 private:
  void Work();

  const size_t max_threads_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;  // guarded by mu_
  std::vector<std::thread> threads_;        // guarded by mu_
  size_t idle_ = 0;                         // guarded by mu_
  bool stopping_ = false;                   // guarded by mu_
};

}  // namespace arxiv_digest
