// What a digest should contain, computed independently of the services: the
// feed XML read minimally with pugixml, the stub's scores, the cutoffs. And
// readers for the publisher's JSON and markdown outputs to compare against.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace arxiv_digest::testing {

struct KeptPaper {
  std::string id;  // version-less
  std::string feed;
  int64_t position = 0;  // feed order after de-duplication
};

struct ExpectedRun {
  int64_t total_papers = 0;    // every item of every feed
  int64_t scanned_papers = 0;  // kept items summed per feed (before dedup)
  std::vector<KeptPaper> kept;
};

// Reads "<dir>/<feed>.xml" for each feed: keeps items whose announce type is
// listed and whose first <category> is one of the feed's '+'-separated
// categories (or that have none: force_primary), then de-duplicates by
// version-less id in feed order. Parse errors are test failures.
ExpectedRun ExpectedFromFeeds(const std::string& dir,
                              const std::vector<std::string>& feeds,
                              const std::set<std::string>& announce_types);

// The ids of `run.kept`.
std::set<std::string> KeptIds(const ExpectedRun& run);

// The ids of the digest, in order, if the stub scored every kept paper:
// both cutoffs met (>=), then relevance+novelty desc, relevance desc, feed
// order.
std::vector<std::string> ExpectedDigestOrder(const ExpectedRun& run,
                                             int relevance_cutoff,
                                             int novelty_cutoff,
                                             std::string_view salt = "");

// One entry of the digest JSON ({id: {SCORE, ARXIVID, COMMENT, RELEVANCE,
// NOVELTY, authors, title, abstract, arxiv_id}}); absent or mistyped fields
// are nullopt.
struct DigestEntry {
  std::string key;
  std::optional<int64_t> score, relevance, novelty;
  std::optional<std::string> arxivid, arxiv_id, comment, title;
};

// Entries in file order (= digest order). Malformed JSON is a test failure.
std::vector<DigestEntry> ParseDigestJson(const std::string& text);

// Ids of the "## N. [Title](https://arxiv.org/abs/ID) ..." headings, in order.
std::vector<std::string> MarkdownPaperOrder(const std::string& md);

// The integer after "<label>: " at the start of a line, if any
// ("Total relevant papers: 38").
std::optional<int64_t> MarkdownCount(const std::string& md,
                                     std::string_view label);

// How `got` differs from `want`, readably (gtest cuts long vectors): first
// differing position with both papers' stub scores, ids missing, ids
// unexpected, duplicates.
std::string DescribeOrderDiff(const std::vector<std::string>& got,
                              const std::vector<std::string>& want);

}  // namespace arxiv_digest::testing
