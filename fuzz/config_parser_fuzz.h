// The body of the configuration fuzz target, shared with the ctest
// regression (tests/chaos/parser_mutation_test.cc). Header-only.
//
// The input goes through ParseIni, then ConfigFromIni when it parsed, and
// through ParseAuthors (authors.txt). Invariants besides "no crash": a
// Config that is accepted is one the services can run with (positive batch
// size and slots, cut-offs and shares in range), and a rejected one says
// which setting is wrong, since the services print that and exit 2.
#pragma once

#include <cmath>
#include <string>
#include <string_view>

#include "absl/strings/match.h"
#include "lib/config/config.h"

namespace arxiv_digest::fuzz {

inline std::string RunConfigParsers(std::string_view input) {
  const std::string text(input);
  ParseAuthors(text);
  absl::StatusOr<IniFile> ini = ParseIni(text);
  if (!ini.ok()) {
    return ini.status().message().empty() ? "INI error without a message" : "";
  }
  absl::StatusOr<Config> config = ConfigFromIni(*ini);
  if (!config.ok()) {
    const std::string message(config.status().message());
    if (message.empty()) return "config error without a message";
    if (!absl::StartsWith(message, "[")) {
      return "config error does not name the setting: " + message;
    }
    return "";
  }
  const SelectionConfig& s = config->selection;
  if (s.abstract_batch_size < 1) return "accepted abstract_batch_size < 1";
  if (s.max_in_flight < 1) return "accepted max_in_flight < 1";
  if (s.abstract_retry < 0) return "accepted abstract_retry < 0";
  if (s.limit_per_minute < 0 || s.tokens_per_minute < 0) {
    return "accepted a negative rate limit";
  }
  if (!(s.prefilter_keep_share >= 0 && s.prefilter_keep_share <= 1)) {
    return "accepted prefilter_keep_share outside 0..1";
  }
  if (!std::isfinite(s.author_match_score)) {
    return "accepted a non-finite author_match_score";
  }
  if (config->filtering.arxiv_categories.empty()) {
    return "accepted a config without categories";
  }
  return "";
}

}  // namespace arxiv_digest::fuzz
