// TriggerRun: the checked request and the run manifest it asks the fetcher
// to fill. The run writer (contract::RunWriter::RequestFetch) writes the
// manifest and the trigger entry. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/ids.h"
#include "lib/core/paper.h"

namespace arxiv_digest::api {

struct TriggerRequest {
  std::vector<std::string> categories;  // validated; empty = configured ones
  std::optional<Date> date;             // empty = today's feeds
  std::string requested_at;             // RFC 3339
  std::string requested_by;             // client name
  // Backfill the missed announcement days (arxivctl backfill --missing).
  bool missing_days = false;
};

// Categories must be arXiv categories (or '+' combinations); the optional
// `date` a real day not after `today`; `missing_days` alone (a catch-up of
// the missed days is not combined with a date or categories).
// requested_at/by are left empty.
absl::StatusOr<TriggerRequest> ValidateTriggerRun(
    const std::vector<std::string>& categories, const std::string& date,
    std::string_view today, bool missing_days = false);

// The run's first manifest: run_id, requested_at/by, categories, date, and
// kind catch_up for missing_days (RequestFetch sets the status requested).
RunManifest TriggerManifest(const RunId& run_id, const TriggerRequest& req);

}  // namespace arxiv_digest::api
