// The fetcher's command line: flags -> FetcherOptions, validated before
// anything connects (backfill ids and dates, the interval, exclusive modes).
// Pure logic; main.cc prints the error and exits with its code.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lib/core/flags.h"

namespace arxiv_digest {

extern const char kFetcherUsage[];

struct FetcherOptions {
  bool help = false;  // --help: print kFetcherUsage, exit 0, nothing else
  std::string configs = "configs";
  int admin_port = 9101;
  std::string admin_host = "0.0.0.0";
  std::chrono::seconds interval{3600};
  std::vector<std::string> ids;  // --ids, version-less, in order
  std::string from, until;       // --from/--until; until defaults to from
  bool once = false;             // --once, or implied by a backfill
  bool force = false;
  bool triggers_only = false;           // --triggers-only, false with --once
  std::optional<std::string> consumer;  // --consumer; unset: host-pid

  bool backfill() const { return !ids.empty() || !from.empty(); }
};

struct FetcherOptionsError {
  std::string message;  // names the flag: "--until needs --from"
  // The flags themselves were malformed (unknown flag, missing value): the
  // usage is printed after the message.
  bool show_usage = false;
  int exit_code = 2;
};

struct ParsedFetcherOptions {
  std::optional<FetcherOptions> options;     // set on success
  std::optional<FetcherOptionsError> error;  // set otherwise
};

// The flags the fetcher accepts (the common --configs, --admin-port,
// --admin-host and --help included), for ParseFlags and ServiceSpec.
const std::set<std::string>& FetcherValueFlags();
const std::set<std::string>& FetcherSwitchFlags();

// argv[0] is the program name.
ParsedFetcherOptions ParseFetcherOptions(int argc, char** argv);
// The same checks on flags already parsed with the sets above.
ParsedFetcherOptions FetcherOptionsFromFlags(const ParsedFlags& flags);

}  // namespace arxiv_digest
