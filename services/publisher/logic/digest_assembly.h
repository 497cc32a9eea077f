// Turns what a run left behind (manifest, papers, scores, token usage) into
// a digest version: selection and ranking with the profile's cut-offs, the
// markdown, JSON and HTML texts, the counts and cost, the file names and the
// manifest fields to write. Pure: no I/O, so every byte of a digest can be
// checked without Redis.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "lib/core/paper.h"
#include "services/publisher/logic/delivery.h"
#include "services/publisher/logic/paper_fates.h"
#include "services/publisher/logic/pricing.h"

namespace arxiv_digest {

// The fields of a run manifest the publisher reads. Counts are -1 when the
// field is missing or not a number.
struct RunState {
  std::string run_id;
  std::string status;   // run_status::k*
  std::string date;     // YYYY-MM-DD
  std::string profile;  // empty: the default profile
  // Set by the scorers; empty: the profile's model. Usage records that
  // name their model (see AssembleDigest) take precedence.
  std::string model;
  std::string topics_override;  // a rescore with other interests
  int64_t total_papers = -1;
  int64_t scanned_papers = -1;
  int64_t papers_to_score = -1;
  // Why the manifest cannot be used (a field failed validation); empty when
  // it is valid. Only `run_id` and a known `status` are set then.
  std::string invalid;
};

// A run's stored results, each value as the JSON its writer stored.
struct RunRecords {
  std::map<std::string, std::string> papers;  // arxiv id -> Paper JSON
  std::map<std::string, std::string> scores;  // arxiv id -> Score JSON
  // LLM call id -> usage JSON (UsageToJson; may also hold "model", the
  // model that call was billed for).
  std::map<std::string, std::string> usage;
  // arxiv id -> contract::PaperFate JSON: the scorer's fate records
  // (keys::RunFates), read only for the run's papers. Empty for runs from
  // before fate records; then the digest JSON has no "fates" member.
  std::map<std::string, std::string> fates;
};

struct DigestInputs {
  RunState run;
  RunRecords records;
  std::string profile;             // resolved: never empty
  int version = 1;                 // 1 for the first digest of (profile, date)
  const Config* config = nullptr;  // the profile's; required
  const PriceTable* prices = nullptr;  // null: DefaultPriceTable()
};

// One format of the digest and where it goes.
struct DigestOutput {
  std::string format;  // md, json, html: Redis key suffix and extension
  std::string text;
  bool write_file = true;  // [OUTPUT] dump_md / dump_json; HTML always
  std::string file_name;   // relative to the output folder
  std::string path_field;  // manifest field naming the written file
  // Relative name of a copy written when the digest's date is the newest of
  // its profile ([OUTPUT] layout = seed: output.md); empty = none.
  std::string latest_copy;
};

// A score whose paper or score could not be read; left out of the digest.
struct SkippedRecord {
  std::string arxiv_id;
  std::string error;
};

struct AssembledDigest {
  PublishedDigest digest;             // what the delivery sinks get
  std::vector<DigestOutput> outputs;  // md, json, html in this order
  int64_t relevant_papers = 0;        // papers in the digest
  int64_t unscored_papers = 0;        // the LLM never answered for them
  int64_t prefiltered_papers = 0;     // left out by the lexical pre-filter
  TokenUsage usage;                   // summed over the run's LLM calls
  // The priced model, the one the run's LLM calls named most often.
  std::string model;
  Cost cost;
  // The published record (contract::kPublishedFields, status published
  // first) for the manifest; the file paths come from the store.
  std::vector<std::pair<std::string, std::string>> manifest_fields;
  std::vector<SkippedRecord> skipped;
  // Every paper's final fate (paper_fates.h), in the JSON output when the
  // scorer recorded fates; empty otherwise. Unreadable fate records are in
  // `skipped`.
  std::vector<FinalFate> fates;
};

// The file name of a digest format, relative to the output folder: the
// default profile's "<date>.md" like the Python tool, other profiles in a
// folder of their own, later versions with ".v<n>" before the extension.
std::string DigestFileName(const std::string& profile, const std::string& date,
                           int version, const std::string& format);

// InvalidArgument without a config; unreadable usage records are ignored.
// Takes `inputs` by value so that their records can be freed as soon as
// they are read (move them in when they are not needed afterwards).
absl::StatusOr<AssembledDigest> AssembleDigest(DigestInputs inputs);

}  // namespace arxiv_digest
