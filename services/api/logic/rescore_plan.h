// The decisions of a Rescore that need no I/O: which source runs a target
// reads, turning the papers found into jobs (one new run per announcement
// date, papers de-duplicated by id and renumbered 0..n-1 in source order),
// the dry run's counts and token estimate, and the manifest of each job.
// Pure.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lib/contract/run_manifest.h"
#include "lib/core/paper.h"

namespace arxiv_digest::api {

// What a Rescore re-scores (see ValidateRescore).
struct RescoreTarget {
  enum class Kind { kIds, kRun, kDates };
  Kind kind = Kind::kRun;
  std::vector<std::string> ids;  // version-less, validated
  std::string run_id;
  std::string from_date, to_date;  // validated, from <= to
};

// How its jobs are made.
struct RescoreOptions {
  std::string profile = "default";
  std::string topics_override;  // empty: the profile's topics
  bool dry_run = false;
  // manifest `kind`: contract::run_kind::kRescore or kProfile
  std::string kind = contract::run_kind::kRescore;
  std::string requested_by;
  std::string requested_at;  // RFC 3339
};

struct RescoreResult {
  std::vector<std::string> job_ids;  // empty for a dry run
  std::vector<std::string> dates;
  int64_t papers = 0;
  int64_t estimated_prompt_tokens = 0;
};

// A run that has a papers hash, with its manifest's date and kind (empty
// for fetched daily or triggered runs).
struct RunRef {
  std::string run_id, date, kind;
};

// One paper as found in a source run's papers hash.
struct SourcePaper {
  std::string run_id;  // the run it was read from
  std::string date;    // that run's announcement date
  Paper paper;
};

struct PlannedJob {
  std::string date;
  std::string parent_run;     // the first source run of this date
  std::vector<Paper> papers;  // positions 0..n-1
};

// Sources of an id target: fetched runs only (no `kind`), newest date
// first, then by id, so each id comes from the newest run that has it.
std::vector<RunRef> RunsForIds(std::vector<RunRef> runs);

// Sources of a date target: fetched runs dated within [from, to], date
// ascending then by id ("source order").
std::vector<RunRef> RunsForDates(std::vector<RunRef> runs,
                                 const std::string& from,
                                 const std::string& to);

// A run's papers in feed order (by position).
void SortByPosition(std::vector<Paper>& papers);

// Groups by date (ascending). Within a date the input order is kept (the
// caller passes papers in source order); a repeated arXiv id keeps its first
// occurrence. Taken by value: callers that move their sources in keep
// one copy of the papers in memory, not two.
std::vector<PlannedJob> PlanJobs(std::vector<SourcePaper> papers);

// The dry run's estimate: serialized paper bytes / 4, the usual
// characters-per-token rule of thumb for English.
int64_t EstimatePromptTokens(int64_t paper_json_bytes);

// Dates, paper count and token estimate of `jobs` (papers as JSON plus the
// topics override); job ids are left to the writer.
RescoreResult Summarize(const std::vector<PlannedJob>& jobs,
                        const std::string& topics_override);

// The run id tag of a job (lib/core/ids.h run_id_tag): kProfile for
// profile children, kRescore otherwise.
char JobIdKind(const std::string& kind);

// The manifest a job is created with (status fetching; FinishRun flips it
// to fetched once every paper is queued). Sizes of the feed come from the
// parent run's manifest.
RunManifest JobManifest(const std::string& run_id, const PlannedJob& job,
                        const RunManifest& parent,
                        const RescoreOptions& options);

}  // namespace arxiv_digest::api
