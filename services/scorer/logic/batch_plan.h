// What one read of the papers stream turns into, decided without I/O:
// entries that can never succeed are given up (with the reason, and an
// unscored result when the paper is known, so its run can still finish),
// the rest are grouped by run, keeping stream order inside each run.
// Delivery counts are not checked here: the stream consumer
// (lib/redis/stream_consumer.h) gives up over-delivered entries before they
// are decoded.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/contract/stream_entries.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

// One papers-stream entry as read: its stream id and what
// contract::DecodePaperEntry made of its fields (the entry or why not).
struct ReadEntry {
  std::string id;
  absl::StatusOr<contract::PaperEntry> decoded;
};

struct RunWork {
  std::string entry_id;
  Paper paper;
};

// One run's papers of this read, in stream order.
struct RunBatch {
  std::string run_id;
  std::vector<RunWork> work;
};

// An entry to park in the dead-letter stream and ack.
struct GiveUp {
  std::string entry_id;
  std::string reason;
  // Empty when the entry is too malformed to name its run or paper; then
  // no unscored result is recorded.
  std::string run_id;
  std::optional<Score> unscored;
};

struct BatchPlan {
  std::vector<GiveUp> give_ups;  // in stream order
  std::vector<RunBatch> runs;    // in order of each run's first entry
};

BatchPlan PlanBatch(const std::vector<ReadEntry>& entries);

// Gives up an entry whose run and paper are known: the run still
// completes, with the paper recorded as unscored.
GiveUp GiveUpPaper(const std::string& entry_id, const std::string& run_id,
                   const std::string& arxiv_id, const std::string& reason);

}  // namespace arxiv_digest
