// The checks of every DigestService request that need no I/O, each turning
// a request's arguments (copied out of the gRPC message by the adapter,
// adapters/proto_views.h) into the validated values the adapters act on.
// Errors are INVALID_ARGUMENT with a message that starts with the request
// field's name (clients and tests match on it). Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/api/logic/rescore_plan.h"

namespace arxiv_digest::api {

// The caps of one Rescore request (DigestApiOptions sets them).
struct RescoreLimits {
  int max_range_days = 31;
  int max_ids = 1000;
  size_t max_topics_bytes = size_t{64} * 1024;
};

// The arguments of a Rescore request (v1::RescoreRequest's target oneof).
struct RescoreArgs {
  enum class Target { kNone, kPapers, kRunId, kDates };
  Target target = Target::kNone;
  std::vector<std::string> arxiv_ids;  // kPapers
  std::string run_id;                  // kRunId
  std::string from_date, to_date;      // kDates
  std::string topics_override;
};

// A run or job id field: required, and a run id (lib RunId).
absl::Status ValidateRunIdField(const char* field, const std::string& id);

// The profile name of a request: "default" when empty; INVALID_ARGUMENT
// naming `profile` when it cannot be a profile name (lib ProfileName).
// Whether it exists is the caller's question (folders, Redis).
absl::StatusOr<std::string> NormalizeProfileName(const std::string& profile);

// NOT_FOUND for a well-formed name that no folder (and, where allowed, no
// published digest) knows; lists the `known` profiles.
absl::Status UnknownProfileError(const std::string& name,
                                 const std::vector<std::string>& known);

// Rescore: exactly one target (ids: at most max_ids valid arXiv ids,
// de-duplicated without versions, request order kept; a run id; or a date
// range within max_range_days, none after `today`, `to_date` defaulting to
// `from_date`) and topics_override within max_topics_bytes. The profile is
// checked afterwards (it needs the catalog).
absl::StatusOr<RescoreTarget> ValidateRescore(const RescoreArgs& req,
                                              std::string_view today,
                                              const RescoreLimits& limits);

// GetDigest's arguments after the profile: an optional date (empty = the
// latest) and a version >= 0 (0 = the latest).
absl::Status ValidateGetDigest(const std::string& date, int version);

// ListDigests' arguments after the profile: optional dates, from <= to.
absl::Status ValidateListDigests(const std::string& from_date,
                                 const std::string& to_date);

}  // namespace arxiv_digest::api
