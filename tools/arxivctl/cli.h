// arxivctl's commands as a function of argv and two streams, so tests can
// run them in-process as well as through the binary.
//
// Exit codes: 0 ok, 1 server or connection error, 2 usage (also the
// server's INVALID_ARGUMENT), 3 not found, 4 authentication/permission.
#pragma once

#include <iosfwd>

namespace arxiv_digest::arxivctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitServer = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotFound = 3;
inline constexpr int kExitAuth = 4;

int RunCli(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace arxiv_digest::arxivctl
