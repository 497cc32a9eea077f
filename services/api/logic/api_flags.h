// The api's command line beyond the common flags that lib/app handles
// (--configs, --admin-port, --admin-host, --help): the flag names, their
// defaults and checks, and the usage text. Pure (the environment's
// API_TOKENS_FILE is passed in).
#pragma once

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "lib/core/flags.h"

namespace arxiv_digest::api {

extern const char kApiUsage[];

// The api's own flags, for ServiceSpec::value_flags / switch_flags.
const std::set<std::string>& ApiValueFlags();
const std::set<std::string>& ApiSwitchFlags();

struct ApiFlags {
  std::string grpc_host = "0.0.0.0";
  int grpc_port = 50051;
  std::string web_host = "0.0.0.0";
  int web_port = 8080;
  std::string web_base_url;  // empty: from the request's Host
  std::string tokens_file;   // --tokens, else API_TOKENS_FILE; empty: none
  std::string tls_cert, tls_key;
  int rescore_burst = 5;
  int rescore_period_seconds = 600;
  // Abuse limits (services/api/README.md has the table); 0 = off.
  int trigger_burst = 3;              // TriggerRun bucket per client
  int trigger_interval_seconds = 60;  // one more TriggerRun per interval
  int dry_run_burst = 10;             // dry-run Rescore bucket per client
  int dry_run_interval_seconds = 6;
  int rescore_max_ids = 500;
  int rescore_max_days = 31;          // date ranges, and the days ids may span
  int rescore_max_papers = 3000;      // per request
  int rescore_max_tokens = 1500000;   // estimated prompt tokens per request
  int rescore_papers_per_day = 6000;  // per client, all replicas
  int rescore_tokens_per_day = 3000000;  // per client, all replicas
  int max_concurrent_rescores = 2;       // per process
  int watch_per_client = 4;              // open WatchJob streams, per process
  int watch_total = 256;
  int watch_max_seconds = 3600;  // a stream's lifetime
  int grpc_max_receive_bytes = 1 << 20;
  int grpc_max_send_bytes = 32 << 20;
  std::string consumer = "api-1";  // fan-out consumer name
  bool fanout = true;              // false with --no-fanout
};

// The api's flags from the parsed command line; `tokens_env` is
// $API_TOKENS_FILE (used without --tokens). A number that is not one, or
// is below its minimum (0; 1 for periods, intervals, --rescore-max-ids,
// --rescore-max-days,
// --watch-max-seconds; 1024 for the gRPC message sizes), is an error
// naming the flag (main exits with 2, without the usage); the numbers are
// checked in the order --grpc-port, --admin-port, --web-port,
// --rescore-burst, --rescore-period-seconds, then the abuse limits in the
// order of ApiFlags, so the first bad one is the one reported.
absl::StatusOr<ApiFlags> ApiFlagsFrom(const ParsedFlags& parsed,
                                      const std::string& tokens_env);

}  // namespace arxiv_digest::api
