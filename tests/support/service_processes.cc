#include "tests/support/service_processes.h"

#include <filesystem>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace arxiv_digest::testing {
namespace {

// A developer's exported organisation or proxy must not leak into a test.
const std::vector<std::string>& AlwaysUnset() {
  static const auto* names =
      new std::vector<std::string>{"OPENAI_ORG_ID", "http_proxy", "https_proxy",
                                   "HTTP_PROXY", "HTTPS_PROXY"};
  return *names;
}

}  // namespace

std::string ServiceBinary(const std::string& service) {
  return absl::StrCat(ARXIV_DIGEST_BINARY_DIR, "/services/", service, "/",
                      service);
}

::testing::AssertionResult ServicesBuilt(
    const std::vector<std::string>& services) {
  for (const std::string& service : services) {
    if (!std::filesystem::exists(ServiceBinary(service))) {
      return ::testing::AssertionFailure()
             << ServiceBinary(service) << " is not built";
    }
  }
  return ::testing::AssertionSuccess();
}

std::string StdoutValue(const Subprocess& process, const std::string& key) {
  const std::string prefix = key + "=";
  std::string value;
  for (absl::string_view line : absl::StrSplit(process.ReadStdout(), '\n')) {
    if (absl::ConsumePrefix(&line, prefix)) value = std::string(line);
  }
  return value;
}

std::map<std::string, std::string> StandardServiceEnv(
    const std::string& redis_url, const std::string& openai_api_key,
    const std::string& openai_base_url, const std::string& rss_url) {
  return {{"REDIS_URL", redis_url},
          {"OPENAI_API_KEY", openai_api_key},
          {"OPENAI_BASE_URL", openai_base_url},
          {"ARXIV_RSS_URL", rss_url}};
}

Subprocess* ServiceProcesses::Start(ServiceStart start) {
  std::vector<std::string> args = {
      "--configs",    defaults_.configs,
      "--admin-port", std::to_string(start.admin_port),
      "--admin-host", "127.0.0.1"};
  args.insert(args.end(), start.args.begin(), start.args.end());
  std::map<std::string, std::string> env = defaults_.env;
  for (auto& [name, value] : start.env) env[name] = std::move(value);
  return StartBinary(ServiceBinary(start.service),
                     start.name.empty() ? start.service : start.name,
                     std::move(args), env);
}

Subprocess* ServiceProcesses::StartBinary(
    const std::string& binary, const std::string& name,
    std::vector<std::string> args,
    const std::map<std::string, std::string>& env) {
  SubprocessOptions options{.binary = binary,
                            .args = std::move(args),
                            .unset_env = AlwaysUnset(),
                            .log_dir = defaults_.log_dir,
                            .name = name};
  for (const auto& [variable, value] : env) {
    if (value.empty()) {
      options.unset_env.push_back(variable);
    } else {
      options.env[variable] = value;
    }
  }
  auto proc = Subprocess::Start(std::move(options));
  EXPECT_TRUE(proc.ok()) << proc.status();
  if (!proc.ok()) return nullptr;
  processes_.push_back(std::move(*proc));
  return processes_.back().get();
}

void ServiceProcesses::ReportFailure(const std::string& work_dir,
                                     size_t max_bytes) const {
  // The services' own words are the fastest way to a diagnosis.
  for (const auto& p : processes_) std::cerr << p->Describe(max_bytes) << "\n";
  std::cerr << "work dir kept for inspection: " << work_dir << "\n";
}

std::map<std::string, std::string> WaitForRunStatus(
    int redis_port, const std::string& run_id,
    std::chrono::milliseconds timeout,
    const std::function<bool()>& keep_waiting) {
  auto client = RedisClient::Connect(redis_port);
  EXPECT_TRUE(client.ok()) << client.status();
  if (!client.ok()) return {};
  const std::string key = absl::StrCat("arxiv:run:", run_id);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::map<std::string, std::string> run;
  while (std::chrono::steady_clock::now() < deadline) {
    auto all = client->HGetAll(key);
    if (all.ok()) run = *all;
    if (run["status"] == "published" || run["status"] == "failed") break;
    if (keep_waiting && !keep_waiting()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return run;
}

}  // namespace arxiv_digest::testing
