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
    "           [--trigger-burst N] [--trigger-interval-seconds S]\n"
    "           [--dry-run-burst N] [--dry-run-interval-seconds S]\n"
    "           [--rescore-max-ids N] [--rescore-max-days N]\n"
    "           [--rescore-max-papers N] [--rescore-max-tokens N]\n"
    "           [--rescore-papers-per-day N] [--rescore-tokens-per-day N]\n"
    "           [--max-concurrent-rescores N] [--watch-per-client N]\n"
    "           [--watch-total N] [--watch-max-seconds S]\n"
    "           [--grpc-max-receive-bytes N] [--grpc-max-send-bytes N]\n"
    "Defaults: gRPC 50051, admin 9104 (/metrics /healthz /readyz), web 8080.\n"
    "--tokens (or API_TOKENS_FILE): lines 'token role client-name', roles\n"
    "  reader|operator. Without it reads are open and TriggerRun/Rescore are\n"
    "  refused. --web-port 0 / --grpc-port 0 pick a free port.\n"
    "Limits (0 = off, negative refused): see services/api/README.md.\n"
    "Environment: REDIS_URL, API_TOKENS_FILE\n";

const std::set<std::string>& ApiValueFlags() {
  static const std::set<std::string>* flags =
      new std::set<std::string>{"--grpc-port",
                                "--grpc-host",
                                "--web-port",
                                "--web-host",
                                "--web-base-url",
                                "--tokens",
                                "--tls-cert",
                                "--tls-key",
                                "--rescore-burst",
                                "--rescore-period-seconds",
                                "--consumer",
                                "--trigger-burst",
                                "--trigger-interval-seconds",
                                "--dry-run-burst",
                                "--dry-run-interval-seconds",
                                "--rescore-max-ids",
                                "--rescore-max-days",
                                "--rescore-max-papers",
                                "--rescore-max-tokens",
                                "--rescore-papers-per-day",
                                "--rescore-tokens-per-day",
                                "--max-concurrent-rescores",
                                "--watch-per-client",
                                "--watch-total",
                                "--watch-max-seconds",
                                "--grpc-max-receive-bytes",
                                "--grpc-max-send-bytes"};
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
        IntFlag{"--rescore-period-seconds", &f.rescore_period_seconds, 1},
        IntFlag{"--trigger-burst", &f.trigger_burst, 0},
        IntFlag{"--trigger-interval-seconds", &f.trigger_interval_seconds, 1},
        IntFlag{"--dry-run-burst", &f.dry_run_burst, 0},
        IntFlag{"--dry-run-interval-seconds", &f.dry_run_interval_seconds, 1},
        IntFlag{"--rescore-max-ids", &f.rescore_max_ids, 1},
        IntFlag{"--rescore-max-days", &f.rescore_max_days, 1},
        IntFlag{"--rescore-max-papers", &f.rescore_max_papers, 0},
        IntFlag{"--rescore-max-tokens", &f.rescore_max_tokens, 0},
        IntFlag{"--rescore-papers-per-day", &f.rescore_papers_per_day, 0},
        IntFlag{"--rescore-tokens-per-day", &f.rescore_tokens_per_day, 0},
        IntFlag{"--max-concurrent-rescores", &f.max_concurrent_rescores, 0},
        IntFlag{"--watch-per-client", &f.watch_per_client, 0},
        IntFlag{"--watch-total", &f.watch_total, 0},
        IntFlag{"--watch-max-seconds", &f.watch_max_seconds, 1},
        IntFlag{"--grpc-max-receive-bytes", &f.grpc_max_receive_bytes, 1024},
        IntFlag{"--grpc-max-send-bytes", &f.grpc_max_send_bytes, 1024}}) {
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
