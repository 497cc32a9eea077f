// Minimal "--name value" / "--name=value" / "--flag" parsing for the
// services' command lines. Unknown flags are errors that name the flag.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace arxiv_digest {

struct ParsedFlags {
  std::map<std::string, std::string> values;  // "--configs" -> "dir"
  std::set<std::string> switches;             // "--once"
  std::vector<std::string> positional;

  std::string Get(const std::string& name, const std::string& def = "") const;
  bool Has(const std::string& name) const { return switches.count(name) > 0; }
  // Integer flag; the error names the flag.
  absl::StatusOr<int> GetInt(const std::string& name, int def) const;
};

// value_flags take a value; switch_flags don't.
absl::StatusOr<ParsedFlags> ParseFlags(
    int argc, char** argv, int first, const std::set<std::string>& value_flags,
    const std::set<std::string>& switch_flags);

}  // namespace arxiv_digest
