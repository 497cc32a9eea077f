// The real service binaries as child processes of an end-to-end test: where
// they are, the arguments and environment each one starts with, the run
// hash a test waits on, and what a failed test prints about them.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest::testing {

// <build>/services/<service>/<service>.
std::string ServiceBinary(const std::string& service);

// Whether each of `services` is built; the failure names the missing path.
::testing::AssertionResult ServicesBuilt(
    const std::vector<std::string>& services);

// The value of the last "<key>=<value>" line the process printed on stdout
// (e.g. the fetcher's run_id); "" when there is none.
std::string StdoutValue(const Subprocess& process, const std::string& key);

// REDIS_URL, OPENAI_API_KEY, OPENAI_BASE_URL and ARXIV_RSS_URL: the
// environment every service under test talks to its servers through.
std::map<std::string, std::string> StandardServiceEnv(
    const std::string& redis_url, const std::string& openai_api_key,
    const std::string& openai_base_url, const std::string& rss_url);

// What every service a fixture starts has in common.
struct ServiceDefaults {
  std::string configs{};  // --configs
  std::string log_dir{};  // where each process' stdout/stderr files go
  // Set in each child's environment; an empty value unsets the variable.
  std::map<std::string, std::string> env{};
};

struct ServiceStart {
  std::string service{};            // runs ServiceBinary(service)
  std::vector<std::string> args{};  // after --configs/--admin-port/--admin-host
  std::string name{};               // log file stem; empty: `service`
  // On top of ServiceDefaults::env; an empty value unsets the variable.
  std::map<std::string, std::string> env{};
  int admin_port = 0;  // 0: the service picks a free one
};

// Starts and owns a test's child processes. Every child runs without
// OPENAI_ORG_ID and the proxy variables, so a test never reaches a real
// provider or goes through a proxy. Destruction kills what still runs.
class ServiceProcesses {
 public:
  ServiceProcesses() = default;
  explicit ServiceProcesses(ServiceDefaults defaults)
      : defaults_(std::move(defaults)) {}
  ServiceProcesses(ServiceProcesses&&) = default;
  ServiceProcesses& operator=(ServiceProcesses&&) = default;

  // The service with --configs <configs> --admin-port <admin_port>
  // --admin-host 127.0.0.1, then `args`. nullptr (and a test failure) when
  // it cannot be started.
  Subprocess* Start(ServiceStart start);
  // Any binary (Prometheus, arxivctl...) with `args` and `env` only, not the
  // defaults' environment (an empty value unsets the variable).
  Subprocess* StartBinary(const std::string& binary, const std::string& name,
                          std::vector<std::string> args,
                          const std::map<std::string, std::string>& env = {});

  // For a failed test's TearDown: each process' Describe(max_bytes) on
  // stderr, then that `work_dir` is kept for inspection.
  void ReportFailure(const std::string& work_dir,
                     size_t max_bytes = 8000) const;
  // Kills whatever still runs.
  void Clear() { processes_.clear(); }

 private:
  ServiceDefaults defaults_;
  std::vector<std::unique_ptr<Subprocess>> processes_;
};

// Polls the hash arxiv:run:<run_id> every 100 ms until its status is
// "published" or "failed", `timeout` passes, or `keep_waiting` (asked after
// each poll, when set) returns false. Returns the hash last read; {} with a
// test failure when Redis cannot be reached.
std::map<std::string, std::string> WaitForRunStatus(
    int redis_port, const std::string& run_id,
    std::chrono::milliseconds timeout,
    const std::function<bool()>& keep_waiting = nullptr);

}  // namespace arxiv_digest::testing
