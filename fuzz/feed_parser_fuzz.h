// The body of the feed-parser fuzz target, shared with the regression test
// that replays the corpus and its mutations under the normal build
// (tests/services/fetcher/parser_fuzz_regression_test.cc). Header-only.
//
// Invariants checked on every input, besides "no crash / no sanitizer
// report": each parser returns a value or a status (no exception escapes)
// and everything it returns is valid UTF-8, so nothing downstream (JSON
// writers, Redis readers) ever sees an invalid sequence.
#pragma once

#include <cstdlib>
#include <string>
#include <string_view>

#include "services/fetcher/logic/atom_parser.h"
#include "services/fetcher/logic/oai_pmh_parser.h"
#include "services/fetcher/logic/rss_parser.h"
#include "services/fetcher/logic/utf8_sanitizer.h"

namespace arxiv_digest::fuzz {

// Returns "" when every invariant holds, else what failed.
inline std::string CheckPaper(const Paper& p) {
  for (const std::string* s :
       {&p.arxiv_id, &p.title, &p.abstract, &p.announce_type, &p.feed}) {
    if (!IsValidUtf8(*s)) return "invalid UTF-8 in a paper field";
  }
  for (const auto* list : {&p.authors, &p.categories}) {
    for (const std::string& s : *list) {
      if (!IsValidUtf8(s)) return "invalid UTF-8 in authors/categories";
    }
  }
  if (p.arxiv_id.empty()) return "paper without id";
  return "";
}

inline std::string CheckStatus(const absl::Status& s) {
  return IsValidUtf8(std::string(s.message())) ? ""
                                               : "invalid UTF-8 in an error";
}

inline std::string RunFeedParsers(std::string_view input) {
  std::string failure;
  auto note = [&](std::string f) {
    if (failure.empty()) failure = std::move(f);
  };
  if (absl::StatusOr<Feed> feed = ParseRssFeed(input); feed.ok()) {
    for (const Paper& p : feed->items) note(CheckPaper(p));
    for (const std::string& e : feed->item_errors) {
      if (!IsValidUtf8(e)) note("invalid UTF-8 in an item error");
    }
    if (!IsValidUtf8(feed->title) || !IsValidUtf8(feed->xml_error)) {
      note("invalid UTF-8 in the feed header");
    }
  } else {
    note(CheckStatus(feed.status()));
  }
  if (absl::StatusOr<AtomResponse> atom = ParseArxivAtom(input); atom.ok()) {
    for (const Paper& p : atom->papers) note(CheckPaper(p));
  } else {
    note(CheckStatus(atom.status()));
  }
  if (absl::StatusOr<OaiResponse> oai = ParseOaiPmh(input); oai.ok()) {
    for (const OaiRecord& r : oai->records) note(CheckPaper(r.paper));
    if (!IsValidUtf8(oai->resumption_token)) note("invalid UTF-8 token");
  } else {
    note(CheckStatus(oai.status()));
  }
  return failure;
}

}  // namespace arxiv_digest::fuzz
