// Keeps a batch's stream entries fresh while a slow LLM call is in flight:
// every `interval` it renews their idle time (StreamConsumer::KeepAlive on
// its own Redis connection), so another replica does not take them over
// after claim_idle and pay for the same call twice. Renewal only touches
// entries this consumer still owns and leaves the delivery count alone.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "lib/redis/redis_client.h"
#include "lib/redis/stream_consumer.h"

namespace arxiv_digest {

class PendingHeartbeat {
 public:
  // Starts renewing at once, in a thread of its own that uses only `redis`
  // (hiredis connections are per thread) and the consumer's options.
  PendingHeartbeat(StreamConsumer& consumer, RedisClient& redis,
                   std::vector<std::string> ids,
                   std::chrono::milliseconds interval);
  // Stops and joins the thread (at most one renewal in progress).
  ~PendingHeartbeat();
  PendingHeartbeat(const PendingHeartbeat&) = delete;
  PendingHeartbeat& operator=(const PendingHeartbeat&) = delete;

 private:
  void Loop();

  StreamConsumer& consumer_;
  RedisClient& redis_;
  const std::vector<std::string> ids_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace arxiv_digest
