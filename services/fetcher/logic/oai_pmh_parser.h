// Parses OAI-PMH ListRecords responses with the "arXiv" metadata prefix
// (https://oaipmh.arxiv.org/oai, formerly export.arxiv.org/oai2): the
// date-range backfill path of the fetcher. Pure logic, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

struct OaiRecord {
  // announce_type is empty (OAI-PMH has none; the backfill derives it from
  // the dates below); version is 1 because the arXiv format carries none;
  // categories keep the record's order, primary first.
  Paper paper;
  std::string created;    // YYYY-MM-DD of v1
  std::string updated;    // YYYY-MM-DD of the latest version; may be empty
  std::string datestamp;  // header datestamp (when the record last changed)
};

struct OaiResponse {
  std::vector<OaiRecord> records;
  std::vector<std::string> record_errors;  // records skipped (no id/title)
  int64_t deleted_records = 0;  // header status="deleted": nothing to score
  // Empty on the last page; otherwise pass it back with verb=ListRecords.
  std::string resumption_token;
  int64_t complete_list_size = -1;  // -1 when the server does not say
  int64_t invalid_utf8 = 0;         // invalid sequences replaced by U+FFFD
};

// Errors (InvalidArgument): malformed XML, a root other than <OAI-PMH>,
// and OAI-PMH <error> replies ("OAI-PMH error badResumptionToken: ...").
// The error code noRecordsMatch (an empty day) is an empty response.
absl::StatusOr<OaiResponse> ParseOaiPmh(std::string_view xml);

}  // namespace arxiv_digest
