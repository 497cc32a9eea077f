// Child processes for tests: the service binaries and redis-server run as
// real processes whose output lands in files the test can print on failure.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace arxiv_digest::testing {

// A fresh directory under $TMPDIR (or /tmp) named "<prefix>XXXXXX".
// Aborts the test binary when the directory cannot be made: nothing sensible
// can run without it.
std::string TempDir(std::string_view prefix);

// rm -rf; ignores errors (cleanup must not fail a test).
void RemoveTree(const std::string& path);

// Reads a whole file; empty when it cannot be read.
std::string ReadFileOrEmpty(const std::string& path);

// Writes `text` to `path`, creating its folders first.
void WriteTextFile(const std::string& path, const std::string& text);

struct SubprocessOptions {
  std::string binary{};             // absolute path, run as is (no PATH lookup)
  std::vector<std::string> args{};  // argv[1..]
  // Environment: the current environ with these keys overridden/added...
  std::map<std::string, std::string> env{};
  // ...and these removed (e.g. a real OPENAI_API_KEY the developer exported).
  std::vector<std::string> unset_env{};
  std::string working_dir{};  // empty: inherit
  // Where stdout/stderr files go; empty: a fresh TempDir removed on
  // destruction. A caller-owned dir keeps the logs after the process dies.
  std::string log_dir{};
  std::string name{};  // file name stem of the logs; default: basename(binary)
};

class Subprocess {
 public:
  // Forks and execs. Fails when the binary cannot be executed (the exec
  // error is reported back through a CLOEXEC pipe, so a typo in a path is an
  // error here rather than a mysterious exit status 127 later).
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(
      SubprocessOptions options);

  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;
  // Kills (SIGKILL) a still-running child and reaps it.
  ~Subprocess();

  pid_t pid() const { return pid_; }
  bool Running();
  void Signal(int signo);
  void Kill();  // SIGKILL, then reaps
  // Waits up to `timeout` for the child to end. The result is its exit code,
  // or 128 + signal number when a signal ended it (the shell's convention);
  // nullopt when it is still running at the deadline.
  std::optional<int> WaitFor(std::chrono::milliseconds timeout);
  // Exit status once reaped (same encoding as WaitFor), else nullopt.
  std::optional<int> exit_status() const { return exit_status_; }

  const std::string& stdout_path() const { return stdout_path_; }
  const std::string& stderr_path() const { return stderr_path_; }
  std::string ReadStdout() const { return ReadFileOrEmpty(stdout_path_); }
  std::string ReadStderr() const { return ReadFileOrEmpty(stderr_path_); }
  // "<name> (pid N, status S)\n--- stdout ---\n...\n--- stderr ---\n..."
  // with each stream cut to its last `max_bytes`: for failure messages.
  std::string Describe(size_t max_bytes = 8000) const;

 private:
  Subprocess() = default;
  bool Reap(int options);  // waitpid; true once the child is reaped

  std::string name_;
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
  std::string stdout_path_;
  std::string stderr_path_;
  std::string owned_log_dir_;  // removed by the destructor when set
};

}  // namespace arxiv_digest::testing
