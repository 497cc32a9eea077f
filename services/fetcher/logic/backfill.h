// Backfill: (re)scoring a list of ids (arXiv query API, Atom) or a missed
// date range (OAI-PMH ListRecords). Pure logic: request URLs, validation of
// the command-line input, and the mapping of harvested records onto the
// configured feeds so SelectPapers applies the usual filters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "services/fetcher/logic/oai_pmh_parser.h"
#include "services/fetcher/logic/paper_selection.h"

namespace arxiv_digest {

// "2504.01234, 2504.05678v2,math/0601001" -> version-less ids in order,
// duplicates dropped. InvalidArgument naming the first bad entry.
absl::StatusOr<std::vector<std::string>> ParseIdList(const std::string& text);

// Checks YYYY-MM-DD and from <= until.
absl::Status ValidateDateRange(const std::string& from,
                               const std::string& until);

// Percent-encoding of a query-string value (RFC 3986 unreserved kept).
std::string UrlEncode(const std::string& value);

// <api>?id_list=a,b&max_results=N
std::string AtomIdListUrl(const std::string& api_base,
                          const std::vector<std::string>& ids);

// First page: <oai>?verb=ListRecords&metadataPrefix=arXiv&from=..&until=..
// [&set=..]; next pages: <oai>?verb=ListRecords&resumptionToken=..
std::string OaiListRecordsUrl(const std::string& oai_base,
                              const std::string& from, const std::string& until,
                              const std::string& set);
std::string OaiResumeUrl(const std::string& oai_base, const std::string& token);

// OAI-PMH sets covering the configured category entries: "cs", "math",
// "stat", "eess", ... and "physics:<archive>" for the physics archives
// (hep-th, quant-ph, physics, ...), de-duplicated, in config order.
std::vector<std::string> OaiSetsFor(const std::vector<std::string>& entries);

struct HarvestSelection {
  std::vector<FetchedFeed> feeds;  // one per configured entry, for SelectPapers
  int64_t unmatched = 0;           // records of no configured category
};

// Assigns each record to the first configured entry sharing a category with
// it, and gives it the announce type a daily feed would have shown: "new"
// (primary in the entry) or "cross" when v1 was created within
// [from, until], else "replace" / "replace-cross". Records are taken once
// (by id) even when several sets returned them.
HarvestSelection FeedsFromOaiRecords(const std::vector<OaiRecord>& records,
                                     const std::vector<std::string>& entries,
                                     const std::string& from,
                                     const std::string& until);

}  // namespace arxiv_digest
