// The publisher's periodic retention pass (issue 12), on a connection of
// its own, every few minutes:
//   - trims the shared streams (lib/redis/stream_trimmer.h): an entry goes
//     once every group has acknowledged it, or once older than the run TTL
//     unless it is pending in a group; the dead-letter stream is also
//     capped at about dead_letter_max_len entries;
//   - gives every per-run key (arxiv:run:*) that has no TTL, or a longer
//     one, the run TTL, and every digest key and meta hash the digest TTL
//     (EXPIRE ... LT): keys written by older code, by writers that did not
//     set one, or before [RETENTION] was shortened (and the fetcher's
//     seen:* keys their [FETCHER] seen_ttl_days);
//   - drops dates from each profile's digest index whose meta hash expired.
// Metric: arxiv_publisher_stream_trimmed_entries_total{stream}.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "lib/core/clock.h"
#include "lib/core/flags.h"
#include "lib/redis/redis_client.h"
#include "lib/redis/stream_trimmer.h"

namespace arxiv_digest {

struct RetentionOptions {
  std::chrono::seconds run_ttl{30 * 86400};      // [RETENTION] run_days
  std::chrono::seconds digest_ttl{365 * 86400};  // [RETENTION] digest_days
  // [FETCHER] seen_ttl_days: the fetcher sets it; capped here only so a
  // scaled-down day (benchmarks) applies to it too.
  std::chrono::seconds seen_ttl{30 * 86400};
  std::chrono::milliseconds interval{300000};  // between passes
  // Dead letters are kept as long as run data, and at most about this many.
  int64_t dead_letter_max_len = 10000;
};

// The options from [RETENTION]; `day` is the length of one retention day
// (86400 s; shorter only in benchmarks that replay a year in minutes).
RetentionOptions RetentionFromDays(int run_days, int digest_days, int seen_days,
                                   std::chrono::seconds day);

// From the profile's settings and the publisher's flags
// --retention-interval-seconds (300) and --retention-day-seconds (86400,
// benchmarks only); an error names a flag that is not a positive integer.
absl::StatusOr<RetentionOptions> RetentionFromFlags(const Config& config,
                                                    const ParsedFlags& flags);

class RetentionSweeper {
 public:
  // `redis` must not be used by another thread; everything is borrowed.
  RetentionSweeper(RedisClient& redis, RetentionOptions options,
                   prometheus::Registry& registry,
                   Clock& clock = SystemClock());

  // One pass; stops at the first Redis error (the next pass retries).
  absl::Status SweepOnce();
  // Passes every `interval` until shutdown is requested.
  void Run();

 private:
  // EXPIRE ... LT on every key matching `pattern`.
  absl::Status CapTtl(const std::string& pattern, std::chrono::seconds ttl);
  absl::Status PruneDigestIndexes();

  RedisClient& redis_;
  RetentionOptions options_;
  Clock& clock_;
  StreamTrimmer trimmer_;
  prometheus::Family<prometheus::Counter>& trimmed_;
  prometheus::Counter& errors_;
};

// A sweeper on a connection and a thread of its own, running until
// shutdown is requested; the destructor waits for the thread.
class RetentionThread {
 public:
  static absl::StatusOr<std::unique_ptr<RetentionThread>> Start(
      absl::StatusOr<std::unique_ptr<RedisClient>> redis,
      RetentionOptions options, prometheus::Registry& registry);
  ~RetentionThread();

 private:
  RetentionThread() = default;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<RetentionSweeper> sweeper_;
  std::thread thread_;
};

}  // namespace arxiv_digest
