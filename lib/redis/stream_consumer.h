// One consumer-group reader for every service, as redis.io describes
// consumer groups. One Step:
//   1. this consumer's own pending entries (XREADGROUP ... 0), at start and
//      after a failed step: a restart or an XACK lost to a Redis outage
//      costs no claim_idle stall;
//   2. else entries idle longer than claim_idle in anyone's pending list
//      (XAUTOCLAIM): work of a dead replica, or entries a handler kept;
//   3. else new entries (XREADGROUP > BLOCK), topped up for fill_wait while
//      the handler WantsMore.
// Entries that were delivered before (1, 2) have their delivery count
// checked BEFORE the handler or anything else parses them: one delivered
// more than max_deliveries times is given up (OnGiveUp, dead-letter, XACK),
// so an entry that crashes the process still ends in the dead-letter stream.
// Fresh entries (3) have a delivery count of 1 by definition.
// XACK only after the handler said kAck or after the dead-letter XADD
// succeeded. Dead-letter entries are written with the contract's codec
// (lib/contract/stream_entries.h: source_stream, source_id, reason,
// consumer, then the original fields, bounded so a huge poison entry is not
// copied whole). A NOGROUP error (Redis restarted without persistence)
// re-creates the group.
//
// Not thread-safe: one StreamConsumer per thread, like RedisClient.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/core/clock.h"
#include "lib/redis/redis_client.h"

namespace arxiv_digest {

struct StreamConsumerOptions {
  std::string stream;
  std::string group;
  std::string consumer;
  // Where a newly created group starts: "0" = the whole stream, "$" = only
  // entries added from now on.
  std::string group_start_id = "0";
  int batch = 10;  // COUNT of every read
  // BLOCK of the read of new entries; 0 = do not wait.
  std::chrono::milliseconds block{1000};
  // Pending entries idle this long are taken over; 0 = never claim.
  std::chrono::milliseconds claim_idle{60000};
  // Give up an entry delivered more often than this; 0 = no limit.
  int max_deliveries = 5;
  // Where given-up entries go; empty = they are only acked (after OnGiveUp).
  std::string dead_letter_stream;
  // After a fresh read returned fewer than `batch` entries, wait up to this
  // long for more while the handler WantsMore; 0 = no top-up.
  std::chrono::milliseconds fill_wait{0};
  // Run(): pause after a failed step (Redis down, handler error).
  std::chrono::milliseconds error_backoff{500};
};

enum class Disposition {
  kAck,          // done: XACK
  kKeepPending,  // not now: stays pending; comes back through XAUTOCLAIM once
                 // idle claim_idle, or with the next own-pending pass
  kDeadLetter,   // can never succeed: dead-letter with the reason, then XACK
};

struct EntryOutcome {
  Disposition disposition = Disposition::kAck;
  std::string reason;  // for kDeadLetter
};

class StreamHandler {
 public:
  virtual ~StreamHandler() = default;
  // Entries within the delivery limit, in stream order. Returns one outcome
  // per entry, in the same order. An error leaves them all pending; they are
  // re-read by the next step's own-pending pass (after Run's backoff).
  virtual absl::StatusOr<std::vector<EntryOutcome>> Handle(
      const std::vector<StreamEntry>& entries) = 0;
  // Called for an entry delivered more than max_deliveries times, BEFORE it
  // is dead-lettered and acked. Must not trust the entry (it may be the
  // poison that crashed the process). An error keeps it pending.
  virtual absl::Status OnGiveUp(const StreamEntry& entry,
                                const std::string& reason);
  // With fill_wait > 0: asked after a partial fresh read (and after each
  // top-up) whether to wait for more entries. Default: yes.
  virtual bool WantsMore(const std::vector<StreamEntry>& so_far);
};

// Optional hooks for metrics and logs.
struct StreamConsumerObserver {
  std::function<void(int count)> on_claimed;
  std::function<void(const std::string& reason)> on_dead_letter;
};

class StreamConsumer {
 public:
  StreamConsumer(RedisClient& redis, StreamConsumerOptions options,
                 Clock& clock, StreamConsumerObserver observer = {});

  // XGROUP CREATE ... group_start_id MKSTREAM; an existing group is fine.
  absl::Status Init();
  // One round (see the top of this file); returns the entries handled
  // (given up ones included), 0 after re-creating a missing group.
  absl::StatusOr<int> Step(StreamHandler& handler);
  // Steps until stop() is true; a failed step is logged and followed by
  // error_backoff on the clock.
  void Run(StreamHandler& handler, const std::function<bool()>& stop);
  // Renews the idle time of entries still being worked on (XCLAIM <ids> 0
  // JUSTID to this consumer; the delivery count is unchanged), so a long but
  // legitimate call is not taken over by another replica and paid twice.
  // Only entries this consumer still owns are renewed (never taken back
  // from a replica that already claimed them); returns those ids. Uses the
  // consumer's connection: call it on the consumer's thread, or pass
  // another connection (e.g. a heartbeat thread's own client).
  absl::StatusOr<std::vector<std::string>> KeepAlive(
      const std::vector<std::string>& ids);
  absl::StatusOr<std::vector<std::string>> KeepAlive(
      RedisClient& redis, const std::vector<std::string>& ids);

  const StreamConsumerOptions& options() const { return options_; }

 private:
  enum class Source { kOwnPending, kClaimed, kFresh };
  absl::StatusOr<std::vector<StreamEntry>> Read(StreamHandler& handler,
                                                Source& source);
  absl::StatusOr<std::vector<StreamEntry>> ReadFresh(StreamHandler& handler);
  // Delivery counts of entries this consumer owns, keyed by id.
  absl::StatusOr<std::map<std::string, int64_t>> DeliveryCounts(
      const std::vector<StreamEntry>& entries);
  absl::Status DeadLetter(const StreamEntry& entry, const std::string& reason);
  absl::StatusOr<int> Process(StreamHandler& handler,
                              std::vector<StreamEntry> entries, Source source);

  RedisClient& redis_;
  StreamConsumerOptions options_;
  Clock& clock_;
  StreamConsumerObserver observer_;
  // Own-pending pass: on at start and after a failed step; walks this
  // consumer's pending list once from "0" (the cursor is the last id seen),
  // so entries a handler keeps pending do not starve new work.
  bool own_pending_ = true;
  std::string own_cursor_ = "0";
  // XAUTOCLAIM cursor, so successive calls scan the whole pending list.
  std::string claim_cursor_ = "0-0";
};

}  // namespace arxiv_digest
