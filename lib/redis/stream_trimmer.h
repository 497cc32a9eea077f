// Bounds the shared streams (issue 12). An entry goes once every consumer
// group on its stream is done with it: it is neither pending in any group
// nor after any group's last-delivered id (XTRIM MINID, exact). Or by age:
// an entry older than `max_age` goes even if a group never read it (a
// group whose consumer is gone, e.g. the api's "profiles" group without an
// api, must not pin the stream forever) -- but never an entry that is
// pending in some group, i.e. delivered and not yet acknowledged, however
// old. A stream without groups is cut by age only. An approximate MAXLEN
// cap applies only where dropping the oldest entries is documented safe:
// the dead-letter stream, which nobody consumes.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/clock.h"
#include "lib/redis/redis_client.h"

namespace arxiv_digest {

struct StreamTrimPolicy {
  std::string stream;
  // Entries older than this go unless pending in a group. 0 = no limit.
  std::chrono::milliseconds max_age{0};
  // Approximate MAXLEN (XTRIM MAXLEN ~), applied only while the stream has
  // no consumer group (the dead-letter stream). 0 = none.
  int64_t max_len_cap = 0;
};

// What one consumer group still needs (from XINFO GROUPS / XPENDING).
struct GroupProgress {
  std::string last_delivered_id;  // "0-0" when nothing was delivered
  std::optional<std::string> oldest_pending_id;
};

// The smallest id some group still needs: for each group its oldest
// pending id, or else the id right after its last-delivered id; the
// minimum over groups. nullopt without groups or on a malformed id.
std::optional<std::string> AckFloor(const std::vector<GroupProgress>& groups);

// Where to cut (XTRIM MINID): the later of AckFloor and the age floor
// `age` ("<ms>-0"), the age floor held back to the oldest pending entry of
// any group. nullopt = trim nothing (no groups and no age, or a group we
// cannot read).
std::optional<std::string> TrimFloor(const std::vector<GroupProgress>& groups,
                                     const std::optional<std::string>& age);

// "<ms>-<seq>" compared numerically; false on malformed ids.
bool StreamIdLess(const std::string& a, const std::string& b);

struct StreamTrimResult {
  std::string stream;
  int64_t trimmed = 0;
};

class StreamTrimmer {
 public:
  // Borrowed; `clock` dates the age limit.
  StreamTrimmer(RedisClient& redis, std::vector<StreamTrimPolicy> policies,
                Clock& clock = SystemClock());

  // One pass over every stream; a missing stream trims nothing. Stops at
  // the first Redis error (the next pass retries).
  absl::StatusOr<std::vector<StreamTrimResult>> TrimOnce();

  // The deployment's streams (papers, scores, runs, triggers, dead-letter),
  // each by acknowledgement and `max_age` (the run TTL: an entry older than
  // its run's data is of no use); the dead-letter stream also capped at
  // about `dead_letter_max_len` entries.
  static std::vector<StreamTrimPolicy> DefaultPolicies(
      std::chrono::milliseconds max_age, int64_t dead_letter_max_len = 10000);

 private:
  absl::StatusOr<int64_t> TrimStream(const StreamTrimPolicy& policy);
  absl::StatusOr<std::optional<std::vector<GroupProgress>>> Groups(
      const std::string& stream);

  RedisClient& redis_;
  std::vector<StreamTrimPolicy> policies_;
  Clock& clock_;
};

}  // namespace arxiv_digest
