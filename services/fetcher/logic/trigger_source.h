// Fetch requests from the API (TriggerRun) as the scheduling loop sees
// them: the port TriggerListener (Redis stream) implements.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace arxiv_digest {

struct FetchTrigger {
  std::string entry_id;
  std::string run_id;
  std::vector<std::string> categories;  // empty: the configured ones
  std::string date;                     // empty: today's feeds
  // arxivctl backfill --missing: backfill the missed announcement days
  // (logic/missed_days.h) instead of fetching.
  bool missing_days = false;
  // Set when the entry named a run but could not be decoded (a bad date,
  // say): the run is marked failed with this reason instead of fetched.
  std::string error;
};

class TriggerSource {
 public:
  virtual ~TriggerSource() = default;
  // The next trigger, waiting up to `block`; nullopt on timeout.
  virtual absl::StatusOr<std::optional<FetchTrigger>> Next(
      std::chrono::milliseconds block) = 0;
};

}  // namespace arxiv_digest
