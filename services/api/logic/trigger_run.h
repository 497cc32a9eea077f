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
};

// Categories must be arXiv categories (or '+' combinations); the optional
// `date` a real day not after `today`. requested_at/by are left empty.
absl::StatusOr<TriggerRequest> ValidateTriggerRun(
    const std::vector<std::string>& categories, const std::string& date,
    std::string_view today);

// The run's first manifest: run_id, requested_at/by, categories, date
// (RequestFetch sets the status requested).
RunManifest TriggerManifest(const RunId& run_id, const TriggerRequest& req);

}  // namespace arxiv_digest::api
