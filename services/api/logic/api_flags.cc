#include "services/api/logic/api_flags.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace arxiv_digest::api {

const char kApiUsage[] =
    "usage: api [--configs DIR] [--grpc-port N] [--grpc-host H]\n"
    "           [--admin-port N] [--admin-host H] [--web-port N] [--web-host "
    "H]\n"
    "           [--web-base-url URL] [--tokens FILE] [--tls-cert PEM --tls-key "
    "PEM]\n"
    "           [--rescore-burst N] [--rescore-period-seconds S]\n"
    "           [--consumer NAME] [--no-fanout]\n"
    "Defaults: gRPC 50051, admin 9104 (/metrics /healthz /readyz), web 8080.\n"
    "--tokens (or API_TOKENS_FILE): lines 'token role client-name', roles\n"
    "  reader|operator. Without it reads are open and TriggerRun/Rescore are\n"
    "  refused. --web-port 0 / --grpc-port 0 pick a free port.\n"
    "Environment: REDIS_URL, API_TOKENS_FILE\n";

const std::set<std::string>& ApiValueFlags() {
  static const std::set<std::string>* flags =
      new std::set<std::string>{"--grpc-port",     "--grpc-host",
                                "--web-port",      "--web-host",
                                "--web-base-url",  "--tokens",
                                "--tls-cert",      "--tls-key",
                                "--rescore-burst", "--rescore-period-seconds",
                                "--consumer"};
  return *flags;
}

const std::set<std::string>& ApiSwitchFlags() {
  static const std::set<std::string>* flags =
      new std::set<std::string>{"--no-fanout"};
  return *flags;
}

absl::StatusOr<ApiFlags> ApiFlagsFrom(const ParsedFlags& parsed,
                                      const std::string& tokens_env) {
  ApiFlags f;
  // --admin-port is lib/app's (ServiceApp::StartAdmin); it is only checked
  // here, in its place, so the first bad number is still the one reported.
  int admin_port = 0;
  // A negative number would turn a limit off (--rescore-burst 0 is the one
  // documented way to do that) or mean nothing (a port), and a period of 0
  // refills the bucket infinitely fast: both are refused, naming the flag.
  struct IntFlag {
    const char* name;
    int* value;
    int min_value;
  };
  for (const IntFlag& flag :
       {IntFlag{"--grpc-port", &f.grpc_port, 0},
        IntFlag{"--admin-port", &admin_port, 0},
        IntFlag{"--web-port", &f.web_port, 0},
        IntFlag{"--rescore-burst", &f.rescore_burst, 0},
        IntFlag{"--rescore-period-seconds", &f.rescore_period_seconds, 1}}) {
    absl::StatusOr<int> v = parsed.GetInt(flag.name, *flag.value);
    if (!v.ok()) return v.status();
    if (*v < flag.min_value) {
      return absl::InvalidArgumentError(absl::StrCat(
          flag.name, " must be at least ", flag.min_value, " (got ", *v, ")"));
    }
    *flag.value = *v;
  }
  f.grpc_host = parsed.Get("--grpc-host", f.grpc_host);
  f.web_host = parsed.Get("--web-host", f.web_host);
  f.web_base_url = parsed.Get("--web-base-url");
  f.tokens_file = parsed.Get("--tokens", tokens_env);
  f.tls_cert = parsed.Get("--tls-cert");
  f.tls_key = parsed.Get("--tls-key");
  f.consumer = parsed.Get("--consumer", f.consumer);
  f.fanout = !parsed.Has("--no-fanout");
  return f;
}

}  // namespace arxiv_digest::api
