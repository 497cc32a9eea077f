// Redis stream backlog as Prometheus gauges: XLEN per stream and, per
// consumer group, XINFO GROUPS' pending (delivered, not acknowledged) and
// lag (not yet delivered; Redis >= 7). A background thread refreshes them on
// its own connection, so a service wires it with two lines:
//
//   StreamMetrics streams(registry, config->env.redis_url,
//                         {{keys::PapersStream(), keys::kScorerGroup}});
//   streams.Start();
//
// Exported (label values are the Redis names, e.g. stream="arxiv:papers"):
//   arxiv_stream_length{stream}
//   arxiv_stream_pending_entries{stream,group}
//   arxiv_stream_lag_entries{stream,group}
//   arxiv_stream_metrics_refresh_errors_total
//   arxiv_redis_used_memory_bytes, arxiv_redis_maxmemory_bytes (INFO
//     memory: used_memory and maxmemory, 0 = no limit; for the alert
//     ArxivRedisMemoryHigh, since Redis runs with noeviction)
// A group that does not exist yet, or whose lag Redis cannot tell (after
// XDEL/XTRIM of undelivered entries), has no sample rather than a made-up 0.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace prometheus {
class Registry;
class Gauge;
class Counter;
template <typename T>
class Family;
}  // namespace prometheus

namespace arxiv_digest {

class RedisClient;

struct StreamTarget {
  std::string stream;
  std::string group;  // empty: only the stream's length
};

class StreamMetrics {
 public:
  StreamMetrics(std::shared_ptr<prometheus::Registry> registry,
                std::string redis_url, std::vector<StreamTarget> targets,
                std::chrono::milliseconds interval = std::chrono::seconds(5));
  ~StreamMetrics();  // stops the thread
  StreamMetrics(const StreamMetrics&) = delete;
  StreamMetrics& operator=(const StreamMetrics&) = delete;

  // Refreshes once now, then every `interval` until destruction.
  void Start();
  // One synchronous refresh (also what the thread runs). Thread-safe.
  absl::Status Refresh();

 private:
  absl::Status RefreshLocked();
  void SetGroupGauge(
      prometheus::Family<prometheus::Gauge>& family,
      std::map<std::pair<std::string, std::string>, prometheus::Gauge*>& cache,
      const StreamTarget& target, const long long* value);

  std::shared_ptr<prometheus::Registry> registry_;
  std::string redis_url_;
  std::vector<StreamTarget> targets_;
  std::chrono::milliseconds interval_;

  prometheus::Family<prometheus::Gauge>& length_;
  prometheus::Family<prometheus::Gauge>& pending_;
  prometheus::Family<prometheus::Gauge>& lag_;
  prometheus::Counter& errors_;
  prometheus::Gauge& used_memory_;
  prometheus::Gauge& maxmemory_;

  std::mutex mu_;  // serialises refreshes: one Redis connection
  std::unique_ptr<RedisClient> redis_;  // guarded by mu_, opened lazily
  std::map<std::pair<std::string, std::string>, prometheus::Gauge*>
      pending_gauges_, lag_gauges_;  // guarded by mu_

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;  // guarded by stop_mu_
  std::thread thread_;
};

}  // namespace arxiv_digest
