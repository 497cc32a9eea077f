// One thread that runs delayed callbacks: the WatchJob streams' polls, so a
// watcher waiting 500 ms between polls holds no gRPC thread. Stop() runs
// every pending callback with stopping=true (each stream then finishes at
// once), and callbacks scheduled after Stop() run inline the same way.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace arxiv_digest::api {

class WatchScheduler {
 public:
  using Callback = std::function<void(bool stopping)>;

  WatchScheduler();
  ~WatchScheduler();
  WatchScheduler(const WatchScheduler&) = delete;
  WatchScheduler& operator=(const WatchScheduler&) = delete;

  void Schedule(std::chrono::milliseconds delay, Callback cb);
  void Stop();

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::multimap<std::chrono::steady_clock::time_point, Callback>
      queue_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace arxiv_digest::api
