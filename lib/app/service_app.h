// Shared startup of every service binary: the common flags, --help, the
// configuration (default profile and configs/profiles/*), the metrics
// registry and admin port, Redis connections and the shutdown handlers.
// Every failure is a status whose message names the flag or setting, and
// RunService turns it into the exit code, so each main.cc only wires.
//
// Common flags of every service: --configs, --admin-port, --admin-host,
// --help, --version (name, version, revision, build type; no configuration
// needed) and --check-config (loads the configuration as the service
// would, runs ServiceSpec::check_config, prints the effective settings,
// exits 0, or 2 naming the setting).
//
// Exit codes: 0 success, --help, --version or --check-config; 2 bad startup
// configuration (a flag, a setting, a port that cannot be bound); 1 a
// dependency is unreachable (Redis) or the service failed.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lib/config/config.h"
#include "lib/core/flags.h"
#include "lib/metrics/admin_server.h"
#include "lib/redis/redis_client.h"

namespace prometheus {
class Registry;
}

namespace arxiv_digest {

class ServiceApp;

struct ServiceSpec {
  std::string name;   // "scorer": the log tag and the error prefix
  std::string usage;  // printed for --help and after a flag error
  int default_admin_port = 0;
  // Flags beyond the common ones (--configs, --admin-port, --admin-host,
  // --help).
  std::set<std::string> value_flags;
  std::set<std::string> switch_flags;
  // true: every profile (configs/ + configs/profiles/*) is loaded at start,
  // so a bad profile stops the service; false: only configs/ itself.
  bool load_profiles = true;
  // The service's own checks of the loaded configuration (e.g. every
  // profile's model has a price), run by --check-config and before the
  // body, so both refuse the same settings, before any connection. Every
  // error is exit 2: "configuration error: <message>" unless it already is
  // a ConfigurationError or UsageError. Empty: no checks.
  std::function<absl::Status(const ServiceApp&)> check_config;
};

// Statuses that mean "exit 2": the user must fix a flag or a setting.
absl::Status ConfigurationError(absl::string_view message);
absl::Status UsageError(absl::string_view message);  // also prints usage

// "<hostname>-<pid>": a consumer name unique per process.
std::string DefaultConsumerName(std::string_view fallback_host);

class ServiceApp {
 public:
  // Parses the flags and loads the configuration. --help and --version are
  // reported as absl::StatusCode::kCancelled with the flag as the message
  // (RunService prints usage or the version and exits 0). Registers the
  // arxiv_digest_build_info gauge (lib/app/build_info.h).
  static absl::StatusOr<std::unique_ptr<ServiceApp>> Create(int argc,
                                                            char** argv,
                                                            ServiceSpec spec);
  ~ServiceApp();
  ServiceApp(const ServiceApp&) = delete;
  ServiceApp& operator=(const ServiceApp&) = delete;

  const ServiceSpec& spec() const { return spec_; }
  const ParsedFlags& flags() const { return flags_; }
  const std::string& configs_dir() const { return configs_dir_; }
  // The default profile's configuration.
  const Config& config() const;
  // Every profile by name (only "default" when spec.load_profiles is false).
  const std::map<std::string, Config>& profiles() const { return profiles_; }
  const std::shared_ptr<prometheus::Registry>& registry() const {
    return registry_;
  }

  // Integer flag >= min_value, else a usage error naming the flag.
  absl::StatusOr<int> IntFlag(const std::string& name, int def,
                              int min_value = 0) const;

  // Serves /metrics, /healthz and /readyz (ready() per request, must be
  // thread-safe) on --admin-host:--admin-port.
  absl::Status StartAdmin(std::function<bool()> ready);
  AdminServer* admin() { return admin_.get(); }

  // A new Redis connection (one per thread); the error names REDIS_URL
  // (never its password).
  absl::StatusOr<std::unique_ptr<RedisClient>> ConnectRedis() const;

  // A ready() for StartAdmin: true while Redis answers PING. It has its own
  // connection (hiredis contexts are not thread-safe), opened on first use
  // and again after a failure, with short timeouts so that a request
  // returns within about a second even when Redis hangs. A probe waits at
  // most 100 ms for one already running, then answers "not ready".
  std::function<bool()> RedisReadiness() const;

 private:
  ServiceApp(ServiceSpec spec, ParsedFlags flags, std::string configs_dir,
             std::map<std::string, Config> profiles);

  ServiceSpec spec_;
  ParsedFlags flags_;
  std::string configs_dir_;
  std::map<std::string, Config> profiles_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<AdminServer> admin_;
};

// main() of a service: logging (a bad LOG_LEVEL is exit 2), ServiceApp::
// Create, shutdown handlers, then body(app). Every error is logged with
// LogFatal: "<name>: <message>", or a JSON line with level FATAL and
// exit_code under LOG_FORMAT=json; returns the exit code (see the top of
// this file).
int RunService(int argc, char** argv, ServiceSpec spec,
               const std::function<absl::Status(ServiceApp&)>& body);

// The exit code RunService uses for a status.
int ExitCodeFor(const absl::Status& status);

}  // namespace arxiv_digest
