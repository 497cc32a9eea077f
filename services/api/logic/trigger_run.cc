#include "services/api/logic/trigger_run.h"

#include "absl/strings/str_cat.h"
#include "lib/contract/run_manifest.h"
#include "services/api/logic/validation.h"

namespace arxiv_digest::api {

absl::StatusOr<TriggerRequest> ValidateTriggerRun(
    const std::vector<std::string>& categories, const std::string& date,
    std::string_view today, bool missing_days) {
  TriggerRequest trigger;
  if (missing_days && (!categories.empty() || !date.empty())) {
    return absl::InvalidArgumentError(
        "missing_days: not combined with categories or a date (it backfills "
        "the configured categories' missed days)");
  }
  trigger.missing_days = missing_days;
  for (const std::string& c : categories) {
    if (!IsValidCategory(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "categories: '", c.substr(0, 100),
          "' is not an arXiv category (e.g. cs.LG or cs.CL+cs.LG)"));
    }
    trigger.categories.push_back(c);
  }
  if (!date.empty()) {
    if (absl::Status s = ValidatePastDate("date", date, today); !s.ok()) {
      return s;
    }
    trigger.date = *Date::Parse(date);  // valid: checked just above
  }
  return trigger;
}

RunManifest TriggerManifest(const RunId& run_id, const TriggerRequest& req) {
  RunManifest m;
  m.run_id = run_id.str();
  m.status = run_status::kRequested;
  m.requested_at = req.requested_at;
  m.requested_by = req.requested_by;
  m.categories = req.categories;
  m.date = req.date ? req.date->str() : "";
  if (req.missing_days) m.kind = contract::run_kind::kCatchUp;
  return m;
}

}  // namespace arxiv_digest::api
