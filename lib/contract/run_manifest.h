// The run manifest: the hash arxiv:run:<id> that the fetcher, the api, the
// scorers and the publisher share. This header is the only place its field
// names are spelled; EncodeManifest/DecodeManifest are its one codec. Pure:
// no I/O, no Redis.
//
// Who writes what (each service writes a different part at a different
// time, hence the named field sets):
//   fetcher   kFetchFields at the start and the end of a run, plus
//             created_at / fetched_at; failed triggers: status, error
//   api       triggers: kTriggerFields; rescore/profile runs:
//             kDerivedRunFields (+ topics_override when set), then status
//   publisher model (from score entries), kPublishedFields, or
//             status=failed + error
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/paper.h"

namespace arxiv_digest::contract {

namespace manifest_field {
inline constexpr char kRunId[] = "run_id";
inline constexpr char kDate[] = "date";
inline constexpr char kStatus[] = "status";
inline constexpr char kTotalPapers[] = "total_papers";
inline constexpr char kScannedPapers[] = "scanned_papers";
inline constexpr char kPapersToScore[] = "papers_to_score";
inline constexpr char kSkippedSeen[] = "skipped_seen";
inline constexpr char kReason[] = "reason";
inline constexpr char kCreatedAt[] = "created_at";
inline constexpr char kFetchedAt[] = "fetched_at";
inline constexpr char kKind[] = "kind";
inline constexpr char kParentRun[] = "parent_run";
inline constexpr char kProfile[] = "profile";
inline constexpr char kTopicsOverride[] = "topics_override";
inline constexpr char kRequestedAt[] = "requested_at";
inline constexpr char kRequestedBy[] = "requested_by";
inline constexpr char kCategories[] = "categories";  // comma list
inline constexpr char kError[] = "error";
inline constexpr char kModel[] = "model";
inline constexpr char kDigestVersion[] = "digest_version";
inline constexpr char kRelevantPapers[] = "relevant_papers";
inline constexpr char kUnscoredPapers[] = "unscored_papers";
inline constexpr char kPrefilteredPapers[] = "prefiltered_papers";
inline constexpr char kPromptTokens[] = "prompt_tokens";
inline constexpr char kCompletionTokens[] = "completion_tokens";
inline constexpr char kCachedTokens[] = "cached_tokens";
inline constexpr char kCostUsd[] = "cost_usd";
}  // namespace manifest_field

// Values of `kind`.
namespace run_kind {
inline constexpr char kFetched[] = "";  // daily or triggered fetch
inline constexpr char kRescore[] = "rescore";
inline constexpr char kProfile[] = "profile";
// arxivctl backfill --missing: the fetcher backfills the missed days as
// runs of their own and ends this one no_announcements with a summary.
inline constexpr char kCatchUp[] = "catch_up";
}  // namespace run_kind

// Named field sets, in the order the services write them today.
// The fetcher's manifest (BeginRun and FinishRun).
inline constexpr std::string_view kFetchFields[] = {
    manifest_field::kRunId,         manifest_field::kDate,
    manifest_field::kStatus,        manifest_field::kTotalPapers,
    manifest_field::kScannedPapers, manifest_field::kPapersToScore,
    manifest_field::kSkippedSeen,   manifest_field::kReason};
// The api's TriggerRun (status requested).
inline constexpr std::string_view kTriggerFields[] = {
    manifest_field::kRunId,       manifest_field::kStatus,
    manifest_field::kRequestedAt, manifest_field::kRequestedBy,
    manifest_field::kCategories,  manifest_field::kDate};
// A rescore or profile run at creation (topics_override is added only when
// set, see EncodeDerivedRun).
inline constexpr std::string_view kDerivedRunFields[] = {
    manifest_field::kRunId,         manifest_field::kDate,
    manifest_field::kStatus,        manifest_field::kKind,
    manifest_field::kParentRun,     manifest_field::kProfile,
    manifest_field::kTotalPapers,   manifest_field::kScannedPapers,
    manifest_field::kPapersToScore, manifest_field::kRequestedAt,
    manifest_field::kRequestedBy,   manifest_field::kSkippedSeen};
// The publisher's record of a published digest (cost_usd comes last, after
// the digest is stored).
inline constexpr std::string_view kPublishedFields[] = {
    manifest_field::kStatus,         manifest_field::kProfile,
    manifest_field::kDigestVersion,  manifest_field::kRelevantPapers,
    manifest_field::kUnscoredPapers, manifest_field::kPrefilteredPapers,
    manifest_field::kPromptTokens,   manifest_field::kCompletionTokens,
    manifest_field::kCachedTokens,   manifest_field::kCostUsd};
// A failed run (status failed + error).
inline constexpr std::string_view kFailedFields[] = {manifest_field::kStatus,
                                                     manifest_field::kError};

using FieldValues = std::vector<std::pair<std::string, std::string>>;

// Every status a manifest can have (lib/core/paper.h run_status).
bool IsKnownRunStatus(std::string_view status);

// The values of `fields` in that order. Numbers in decimal, categories
// comma-joined, cost_usd as absl::StrCat prints a double. A name that is
// not a manifest field is a programming error: it is skipped.
FieldValues EncodeManifest(const RunManifest& manifest,
                           std::span<const std::string_view> fields);
// Every field.
FieldValues EncodeManifest(const RunManifest& manifest);
// kDerivedRunFields, plus topics_override when it is not empty.
FieldValues EncodeDerivedRun(const RunManifest& manifest);

// A manifest hash (HGETALL) as a struct. Absent fields keep their defaults
// (hashes are written in parts); present ones are validated: run_id and
// parent_run as RunId, date as Date (or "unknown-date"), profile as
// ProfileName, status in the known set, kind in run_kind, counts and
// timestamps non-negative integers, cost_usd a non-negative number,
// categories comma-separated. Unknown fields are ignored. Errors are
// InvalidArgument naming the field.
absl::StatusOr<RunManifest> DecodeManifest(
    const std::map<std::string, std::string>& hash);

}  // namespace arxiv_digest::contract
