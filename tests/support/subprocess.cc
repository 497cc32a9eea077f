#include "tests/support/subprocess.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"

extern char** environ;

namespace arxiv_digest::testing {
namespace {

int EncodeStatus(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

std::string Tail(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  return "[...]" + text.substr(text.size() - max_bytes);
}

// Writes all of `len` bytes; only async-signal-safe calls (used after fork).
void WriteAll(int fd, const void* data, size_t len) {
  const char* p = static_cast<const char*>(data);
  while (len > 0) {
    const ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    len -= static_cast<size_t>(n);
  }
}

}  // namespace

std::string TempDir(std::string_view prefix) {
  const char* base = getenv("TMPDIR");
  std::string tmpl =
      absl::StrCat(base != nullptr && *base != '\0' ? base : "/tmp", "/",
                   std::string(prefix), "XXXXXX");
  if (mkdtemp(tmpl.data()) == nullptr) {
    perror("mkdtemp");
    abort();
  }
  return tmpl;
}

void RemoveTree(const std::string& path) {
  if (path.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteTextFile(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(
      std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(
    SubprocessOptions options) {
  std::unique_ptr<Subprocess> proc(new Subprocess());
  proc->name_ = options.name.empty()
                    ? std::filesystem::path(options.binary).filename().string()
                    : options.name;
  std::string log_dir = options.log_dir;
  if (log_dir.empty()) {
    log_dir = TempDir("subprocess-");
    proc->owned_log_dir_ = log_dir;
  }
  proc->stdout_path_ = absl::StrCat(log_dir, "/", proc->name_, ".stdout");
  proc->stderr_path_ = absl::StrCat(log_dir, "/", proc->name_, ".stderr");

  // Everything the child needs is built before fork: after fork only
  // async-signal-safe calls are allowed (other test threads may hold malloc
  // locks).
  std::vector<std::string> argv_store;
  argv_store.push_back(options.binary);
  for (auto& a : options.args) argv_store.push_back(a);
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::map<std::string, std::string> env_map;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    const size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env_map[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
  }
  for (const auto& key : options.unset_env) env_map.erase(key);
  for (const auto& [k, v] : options.env) env_map[k] = v;
  std::vector<std::string> env_store;
  for (const auto& [k, v] : env_map)
    env_store.push_back(absl::StrCat(k, "=", v));
  std::vector<char*> envp;
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);

  const int out_fd = open(proc->stdout_path_.c_str(),
                          O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int err_fd = open(proc->stderr_path_.c_str(),
                          O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out_fd < 0 || err_fd < 0) {
    if (out_fd >= 0) close(out_fd);
    if (err_fd >= 0) close(err_fd);
    return absl::InternalError(
        absl::StrCat("cannot create log files in ", log_dir));
  }
  int exec_pipe[2];
  if (pipe2(exec_pipe, O_CLOEXEC) != 0) {
    close(out_fd);
    close(err_fd);
    return absl::InternalError("pipe2 failed");
  }
  const char* workdir =
      options.working_dir.empty() ? nullptr : options.working_dir.c_str();

  const pid_t pid = fork();
  if (pid < 0) {
    close(out_fd);
    close(err_fd);
    close(exec_pipe[0]);
    close(exec_pipe[1]);
    return absl::InternalError(absl::StrCat("fork: ", strerror(errno)));
  }
  if (pid == 0) {
    // Child. dup2 clears CLOEXEC on the targets.
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    // Not every library marks its sockets CLOEXEC (hiredis does not); a child
    // holding the test's listening sockets would keep them alive after the
    // test stops its servers. Close everything but stdio and the exec pipe.
    const int keep = exec_pipe[1];
    for (int fd = 3; fd < 4096; ++fd) {
      if (fd != keep) close(fd);
    }
    if (workdir != nullptr && chdir(workdir) != 0) {
      const int err = errno;
      WriteAll(keep, &err, sizeof(err));
      _exit(127);
    }
    // Default signal dispositions: gtest or the shell may have ignored some.
    signal(SIGPIPE, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(argv[0], argv.data(), envp.data());
    const int err = errno;
    WriteAll(keep, &err, sizeof(err));
    _exit(127);
  }
  close(out_fd);
  close(err_fd);
  close(exec_pipe[1]);
  proc->pid_ = pid;
  // EOF on the pipe means exec succeeded (CLOEXEC closed it); an int means
  // it failed with that errno.
  int child_errno = 0;
  ssize_t n;
  do {
    n = read(exec_pipe[0], &child_errno, sizeof(child_errno));
  } while (n < 0 && errno == EINTR);
  close(exec_pipe[0]);
  if (n == static_cast<ssize_t>(sizeof(child_errno))) {
    proc->Reap(0);
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot execute ", options.binary, ": ", strerror(child_errno)));
  }
  return proc;
}

Subprocess::~Subprocess() {
  if (pid_ > 0 && !exit_status_.has_value()) Kill();
  RemoveTree(owned_log_dir_);
}

bool Subprocess::Reap(int options) {
  if (exit_status_.has_value()) return true;
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid_, &status, options);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) {
    exit_status_ = EncodeStatus(status);
    return true;
  }
  if (r < 0) exit_status_ = -1;  // not our child any more; treat as gone
  return exit_status_.has_value();
}

bool Subprocess::Running() { return !Reap(WNOHANG); }

void Subprocess::Signal(int signo) {
  if (Running()) kill(pid_, signo);
}

void Subprocess::Kill() {
  if (!Running()) return;
  kill(pid_, SIGKILL);
  Reap(0);
}

std::optional<int> Subprocess::WaitFor(std::chrono::milliseconds timeout) {
  // waitpid has no timeout; poll with a short period up to the deadline.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!Reap(WNOHANG)) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return exit_status_;
}

std::string Subprocess::Describe(size_t max_bytes) const {
  const std::string status = exit_status_.has_value()
                                 ? absl::StrCat("exit status ", *exit_status_)
                                 : "running";
  return absl::StrCat(name_, " (pid ", pid_, ", ", status, ")\n--- stdout (",
                      stdout_path_, ") ---\n", Tail(ReadStdout(), max_bytes),
                      "\n--- stderr (", stderr_path_, ") ---\n",
                      Tail(ReadStderr(), max_bytes), "\n");
}

}  // namespace arxiv_digest::testing
