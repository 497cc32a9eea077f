// What the selection stages need from Semantic Scholar, as a port: for each
// paper, its authors' S2 ids and h-indices (the adapter batches, rate-limits
// and caches the lookups). Plus the pure rules the seed tool applies to
// them (DaizeDong filter_author.py).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/config/config.h"
#include "lib/core/paper.h"

namespace arxiv_digest {

struct S2Author {
  std::string author_id;       // may be empty (S2 has no profile)
  std::optional<int> h_index;  // absent when S2 did not send one
};

// One paper as Semantic Scholar knows it.
struct S2Paper {
  std::vector<S2Author> authors;
  // False when S2's entry for the paper was malformed: the stages treat the
  // paper as unknown to S2 (kept), and `notes` says why.
  bool usable = true;
  // What S2 could not answer for this paper (a malformed entry, an author
  // whose entry was malformed and so has no h-index), for the paper's fate.
  std::vector<std::string> notes;
};

class SemanticScholarSource {
 public:
  virtual ~SemanticScholarSource() = default;
  // arxiv id -> what S2 knows; papers S2 does not know are absent. An error
  // means S2 is unreachable or its reply is garbage as a whole: the caller
  // skips the stages that need it (with a warning), never loses the papers.
  // A malformed entry in a usable reply costs only that entry: the paper is
  // returned with usable = false, or the author has no h-index; either way
  // the paper's notes say so.
  virtual absl::StatusOr<std::map<std::string, S2Paper>> LookupPapers(
      const std::vector<Paper>& papers) = 0;
};

// The best h-index among the paper's authors (0 when none has one, as the
// seed tool's max([...] + [0])).
int BestHIndex(const S2Paper& paper);

// The seed tool's rule: dropped when the best h-index is below h_cutoff
// (max_hindex < h_cutoff); h_cutoff <= 0 drops nothing.
bool BelowHIndexCutoff(int best_h_index, int h_cutoff);

// The seed tool's comment for such a paper: "H-index filtered (max is
// 12<20)".
std::string HIndexFilteredComment(int best_h_index, int h_cutoff);

// True when an author's S2 id is one of the followed ids (authors.txt
// "Name, id" lines), the seed tool's author match.
bool FollowedById(const S2Paper& paper,
                  const std::vector<FollowedAuthor>& followed);

}  // namespace arxiv_digest
