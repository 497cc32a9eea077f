// Which published version of one (profile, date) digest a GetDigest
// request means, the neighbouring days of a digest, and the papers of a
// stored digest JSON for the Atom feed. Pure; adapters/digest_store.h reads
// the versions and adapters/proto_views.h describes them in the gRPC
// messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace arxiv_digest::api {

// One published version (from the digest-meta hash).
struct VersionMeta {
  int version = 0;
  std::string run_id;
  int relevant_papers = 0;
  std::string published_at;
};

// Index into `versions` (ascending) of the requested version; 0 = the
// latest. NOT_FOUND names the profile, date and the latest version.
absl::StatusOr<size_t> ChooseVersion(const std::vector<VersionMeta>& versions,
                                     int requested, const std::string& profile,
                                     const std::string& date);

// The digest dates around `date` in a profile's index.
struct DayNeighbours {
  std::string previous;  // the latest earlier date; empty = none
  std::string next;      // the earliest later date; empty = none
};
// `dates` in any order (YYYY-MM-DD sorts as text); `date` need not be in it.
DayNeighbours FindDayNeighbours(const std::vector<std::string>& dates,
                                const std::string& date);

// One paper of a published digest, as its JSON stores it (TeX as written).
struct DigestPaperView {
  std::string arxiv_id;
  std::string title;
  std::vector<std::string> authors;
  std::string abstract;
  std::string comment;
  int relevance = 0;
  int novelty = 0;
  bool author_match = false;  // no RELEVANCE/NOVELTY: chosen by its authors
};

// The papers of a digest JSON (the Python tool's object keyed by arXiv id,
// in digest order). InvalidArgument when it is not such an object; a paper
// without a string title is skipped.
absl::StatusOr<std::vector<DigestPaperView>> ParseDigestPapers(
    std::string_view json);

}  // namespace arxiv_digest::api
