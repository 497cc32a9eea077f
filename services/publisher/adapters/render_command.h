// `publisher render`: builds a digest offline from a scored JSON dump, with
// no Redis or LLM. Used to reproduce and check digests byte for byte.
#pragma once

#include <ostream>
#include <string_view>

namespace arxiv_digest {

// Usage:
//   publisher render --scored FILE.json --date YYYY-MM-DD --model MODEL
//     --prompt-tokens N --completion-tokens N [--cached-tokens N]
//     --total-papers N --scanned-papers N [--configs DIR] --out FILE.md
//     [--json-out FILE.json] [--html-out FILE.html]
// argv[0] is the program; a leading "render" argument is skipped, so main()
// can pass its own argc/argv. Flags take "--flag VALUE" or "--flag=VALUE".
// The scored JSON is already in digest order and is not re-ranked.
// --help prints the usage and --version `version_line` (the binary's
// VersionLine, passed in so this file needs no build-info link), both on
// `out` with exit 0, whatever else is given.
// Returns 0 on success, 2 for bad usage (the message names the flag), 1 when
// a file cannot be read or written (the message names the file).
int RunRenderCommand(int argc, char** argv, std::string_view version_line,
                     std::ostream& out, std::ostream& err);

}  // namespace arxiv_digest
