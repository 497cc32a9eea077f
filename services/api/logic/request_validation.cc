#include "services/api/logic/request_validation.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/core/ids.h"
#include "services/api/logic/validation.h"

namespace arxiv_digest::api {
namespace {

absl::Status ValidateIds(const std::vector<std::string>& papers, int max_ids,
                         std::vector<std::string>& ids) {
  if (papers.empty()) {
    return absl::InvalidArgumentError("papers: the id list is empty");
  }
  if (papers.size() > static_cast<size_t>(std::max(max_ids, 0))) {
    return absl::InvalidArgumentError(
        absl::StrCat("papers: at most ", max_ids, " ids per request"));
  }
  std::vector<std::string> bad;
  for (const std::string& id : papers) {
    absl::StatusOr<ArxivId> parsed = ArxivId::Parse(id);
    if (!parsed.ok()) {
      bad.push_back(absl::StrCat("'", id.substr(0, 40), "'"));
    } else if (std::find(ids.begin(), ids.end(), parsed->str()) == ids.end()) {
      ids.push_back(parsed->str());  // version-less
    }
  }
  if (!bad.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("papers: not arXiv ids: ", absl::StrJoin(bad, ", ")));
  }
  return absl::OkStatus();
}

absl::Status ValidateRange(const std::string& from, const std::string& to,
                           std::string_view today, int max_days) {
  if (absl::Status s = ValidatePastDate("dates.from_date", from, today);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidatePastDate("dates.to_date", to, today); !s.ok()) {
    return s;
  }
  int days = DaysBetween(from, to);
  if (days < 0) {
    return absl::InvalidArgumentError("dates: from_date is after to_date");
  }
  if (days >= max_days) {
    return absl::InvalidArgumentError(
        absl::StrCat("dates: at most ", max_days, " days per request"));
  }
  return absl::OkStatus();
}

// An optional date argument of a read: any real date (past or future).
absl::Status ValidateOptionalDate(const char* field, const std::string& date) {
  if (date.empty()) return absl::OkStatus();
  return Date::Parse(date, field).status();
}

}  // namespace

absl::Status ValidateRunIdField(const char* field, const std::string& id) {
  if (id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is required"));
  }
  return RunId::Parse(id, field).status();
}

absl::StatusOr<std::string> NormalizeProfileName(const std::string& profile) {
  if (profile.empty()) return ProfileName::Default().str();
  absl::StatusOr<ProfileName> name = ProfileName::Parse(profile);
  if (!name.ok()) return name.status();
  return name->str();
}

absl::Status UnknownProfileError(const std::string& name,
                                 const std::vector<std::string>& known) {
  return absl::NotFoundError(
      absl::StrCat("unknown profile '", name,
                   "' (known: ", absl::StrJoin(known, ", "), ")"));
}

absl::StatusOr<RescoreTarget> ValidateRescore(const RescoreArgs& req,
                                              std::string_view today,
                                              const RescoreLimits& limits) {
  RescoreTarget target;
  switch (req.target) {
    case RescoreArgs::Target::kPapers:
      target.kind = RescoreTarget::Kind::kIds;
      if (absl::Status s =
              ValidateIds(req.arxiv_ids, limits.max_ids, target.ids);
          !s.ok()) {
        return s;
      }
      break;
    case RescoreArgs::Target::kRunId:
      if (absl::Status s = ValidateRunIdField("run_id", req.run_id); !s.ok()) {
        return s;
      }
      target.kind = RescoreTarget::Kind::kRun;
      target.run_id = req.run_id;
      break;
    case RescoreArgs::Target::kDates:
      target.kind = RescoreTarget::Kind::kDates;
      target.from_date = req.from_date;
      target.to_date = req.to_date.empty() ? req.from_date : req.to_date;
      if (absl::Status s = ValidateRange(target.from_date, target.to_date,
                                         today, limits.max_range_days);
          !s.ok()) {
        return s;
      }
      break;
    case RescoreArgs::Target::kNone:
      return absl::InvalidArgumentError(
          "one of papers, run_id or dates is required");
  }
  if (req.topics_override.size() > limits.max_topics_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "topics_override: at most ", limits.max_topics_bytes, " bytes"));
  }
  return target;
}

absl::Status ValidateGetDigest(const std::string& date, int version) {
  if (absl::Status s = ValidateOptionalDate("date", date); !s.ok()) return s;
  if (version < 0) {
    return absl::InvalidArgumentError("version: must be >= 0 (0 = latest)");
  }
  return absl::OkStatus();
}

absl::Status ValidateListDigests(const std::string& from_date,
                                 const std::string& to_date) {
  if (absl::Status s = ValidateOptionalDate("from_date", from_date); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateOptionalDate("to_date", to_date); !s.ok()) {
    return s;
  }
  if (!from_date.empty() && !to_date.empty() && from_date > to_date) {
    return absl::InvalidArgumentError("from_date is after to_date");
  }
  return absl::OkStatus();
}

}  // namespace arxiv_digest::api
