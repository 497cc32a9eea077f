// The api binary in a ChaosEnv: a tokens file, the api on free ports and
// arxivctl (the real gRPC client) as a subprocess, so the chaos suite
// drives the api the way an operator would.
#pragma once

#include <sys/stat.h>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tests/chaos/chaos_harness.h"

namespace arxiv_digest::testing::chaos {

inline constexpr char kApiOperatorToken[] = "chaos-operator-token-0123";

struct ApiPorts {
  int grpc = 0, web = 0, admin = 0;
};

struct CtlResult {
  std::optional<int> rc;
  std::string out, err;
};

// Starts the api (no fan-out) with `extra_args`; waits until it prints its
// ports. nullopt (and a test failure) if it does not come up.
inline std::optional<ApiPorts> StartApi(ChaosEnv& env,
                                        std::vector<std::string> extra_args,
                                        Subprocess** process = nullptr) {
  const std::string tokens = env.work() + "/api-tokens";
  std::ofstream(tokens) << kApiOperatorToken << " operator chaos-ops\n";
  chmod(tokens.c_str(), 0600);
  std::vector<std::string> args = {
      "--tokens",   tokens,      "--grpc-host", "127.0.0.1", "--grpc-port", "0",
      "--web-host", "127.0.0.1", "--web-port",  "0",         "--no-fanout"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  Subprocess* api = env.StartService("api", "api", std::move(args));
  if (process != nullptr) *process = api;
  if (api == nullptr) return std::nullopt;
  ApiPorts ports;
  const bool up = env.WaitUntil(
      [&] {
        for (absl::string_view line : absl::StrSplit(api->ReadStdout(), '\n')) {
          int* field = nullptr;
          if (absl::ConsumePrefix(&line, "grpc_port=")) field = &ports.grpc;
          if (absl::ConsumePrefix(&line, "web_port=")) field = &ports.web;
          if (absl::ConsumePrefix(&line, "admin_port=")) field = &ports.admin;
          if (field != nullptr && !absl::SimpleAtoi(line, field)) *field = 0;
        }
        return ports.admin > 0 || !api->Running();
      },
      seconds(15));
  EXPECT_TRUE(up && ports.grpc > 0) << api->Describe(4000);
  if (!up || ports.grpc == 0) return std::nullopt;
  return ports;
}

// One arxivctl command against the api, with the operator token.
inline CtlResult RunArxivctl(ChaosEnv& env, const ApiPorts& ports,
                             std::vector<std::string> command) {
  std::vector<std::string> args = {
      "--server",  absl::StrCat("127.0.0.1:", ports.grpc),
      "--token",   kApiOperatorToken,
      "--timeout", "10"};
  args.insert(args.end(), command.begin(), command.end());
  auto proc = Subprocess::Start(
      {.binary = ARXIV_DIGEST_BINARY_DIR "/tools/arxivctl/arxivctl",
       .args = std::move(args),
       .unset_env = {"ARXIVCTL_SERVER", "ARXIVCTL_TOKEN", "http_proxy",
                     "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "grpc_proxy"},
       .name = "arxivctl"});
  CtlResult r;
  EXPECT_TRUE(proc.ok()) << proc.status();
  if (!proc.ok()) return r;
  r.rc = (*proc)->WaitFor(seconds(20));
  r.out = (*proc)->ReadStdout();
  r.err = (*proc)->ReadStderr();
  return r;
}

}  // namespace arxiv_digest::testing::chaos
