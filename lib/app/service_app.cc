#include "lib/app/service_app.h"

#include <prometheus/registry.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <mutex>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "lib/app/build_info.h"
#include "lib/config/config_report.h"
#include "lib/config/profiles.h"
#include "lib/core/shutdown.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"

namespace arxiv_digest {
namespace {

// Payload that marks a status as the user's to fix (exit 2), and whether
// the usage text should follow the message.
constexpr char kExitPayload[] = "arxiv-digest/exit";

absl::Status Marked(absl::string_view message, absl::string_view kind) {
  absl::Status status = absl::InvalidArgumentError(std::string(message));
  status.SetPayload(kExitPayload, absl::Cord(std::string(kind)));
  return status;
}

std::string PayloadOf(const absl::Status& status) {
  auto payload = status.GetPayload(kExitPayload);
  return payload ? std::string(*payload) : "";
}

}  // namespace

absl::Status ConfigurationError(absl::string_view message) {
  return Marked(message, "config");
}

absl::Status UsageError(absl::string_view message) {
  return Marked(message, "usage");
}

int ExitCodeFor(const absl::Status& status) {
  if (status.ok()) return 0;
  return PayloadOf(status).empty() ? 1 : 2;
}

std::string DefaultConsumerName(std::string_view fallback_host) {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') {
    return absl::StrCat(std::string(fallback_host), "-", getpid());
  }
  return absl::StrCat(host, "-", getpid());
}

ServiceApp::ServiceApp(ServiceSpec spec, ParsedFlags flags,
                       std::string configs_dir,
                       std::map<std::string, Config> profiles)
    : spec_(std::move(spec)),
      flags_(std::move(flags)),
      configs_dir_(std::move(configs_dir)),
      profiles_(std::move(profiles)),
      registry_(std::make_shared<prometheus::Registry>()) {
  RegisterBuildInfo(*registry_, spec_.name);
}

ServiceApp::~ServiceApp() {
  if (admin_) admin_->Stop();
}

absl::StatusOr<std::unique_ptr<ServiceApp>> ServiceApp::Create(
    int argc, char** argv, ServiceSpec spec) {
  std::set<std::string> values = spec.value_flags;
  values.insert({"--configs", "--admin-port", "--admin-host"});
  std::set<std::string> switches = spec.switch_flags;
  switches.insert({"--help", "--version", "--check-config"});
  absl::StatusOr<ParsedFlags> flags =
      ParseFlags(argc, argv, 1, values, switches);
  if (!flags.ok()) return UsageError(flags.status().message());
  if (flags->Has("--help")) return absl::CancelledError("--help");
  // Before the configuration: a binary says what it is even without one.
  if (flags->Has("--version")) return absl::CancelledError("--version");

  std::string configs_dir = flags->Get("--configs", "configs");
  std::map<std::string, Config> profiles;
  if (spec.load_profiles) {
    absl::StatusOr<std::map<std::string, Config>> loaded =
        LoadProfiles(configs_dir);
    if (!loaded.ok()) {
      return ConfigurationError(
          absl::StrCat("configuration error: ", loaded.status().message()));
    }
    profiles = *std::move(loaded);
  } else {
    absl::StatusOr<Config> loaded = LoadConfig(configs_dir);
    if (!loaded.ok()) {
      return ConfigurationError(
          absl::StrCat("configuration error: ", loaded.status().message()));
    }
    profiles.emplace(kDefaultProfile, *std::move(loaded));
  }
  // Settings a migrated folder carries that this project ignores (the
  // Python tools' extra keys): named once at startup, never silently.
  for (const auto& [name, config] : profiles) {
    for (const std::string& warning : config.warnings) {
      LogWarning("configuration warning",
                 {{"profile", name}, {"warning", warning}});
    }
  }
  if (absl::Status s =
          keys::SetPrefix(profiles.at(kDefaultProfile).env.redis_key_prefix);
      !s.ok()) {
    return ConfigurationError(absl::StrCat("REDIS_KEY_PREFIX: ", s.message()));
  }
  return std::unique_ptr<ServiceApp>(new ServiceApp(
      std::move(spec), *std::move(flags), configs_dir, std::move(profiles)));
}

const Config& ServiceApp::config() const {
  return profiles_.at(kDefaultProfile);
}

absl::StatusOr<int> ServiceApp::IntFlag(const std::string& name, int def,
                                        int min_value) const {
  absl::StatusOr<int> value = flags_.GetInt(name, def);
  if (!value.ok()) return UsageError(value.status().message());
  if (*value < min_value) {
    return UsageError(absl::StrCat(name, " must be at least ", min_value,
                                   " (got ", *value, ")"));
  }
  return value;
}

absl::Status ServiceApp::StartAdmin(std::function<bool()> ready) {
  absl::StatusOr<int> port =
      IntFlag("--admin-port", spec_.default_admin_port, 0);
  if (!port.ok()) return port.status();
  admin_ = std::make_unique<AdminServer>(registry_, std::move(ready));
  if (absl::Status s =
          admin_->Start(flags_.Get("--admin-host", "0.0.0.0"), *port);
      !s.ok()) {
    return ConfigurationError(absl::StrCat("--admin-port: ", s.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RedisClient>> ServiceApp::ConnectRedis() const {
  absl::StatusOr<std::unique_ptr<RedisClient>> redis =
      RedisClient::Connect(config().env.redis_url);
  if (!redis.ok()) {
    return absl::Status(redis.status().code(),
                        absl::StrCat("REDIS_URL: ", redis.status().message()));
  }
  return redis;
}

namespace {

// The state behind RedisReadiness(): one connection, one probe at a time.
struct ReadinessProbe {
  std::string url;
  std::timed_mutex mu;
  std::unique_ptr<RedisClient> client;  // guarded by mu

  // PING on the current connection, else on a fresh one: the first
  // command after a Redis restart fails on the old socket, and that must
  // not make /readyz report one extra failure.
  bool Ping() {
    if (client != nullptr && PingOnce()) return true;
    client.reset();
    RedisClient::Options options;
    options.connect_timeout = std::chrono::milliseconds(300);
    options.command_timeout = std::chrono::milliseconds(300);
    absl::StatusOr<std::unique_ptr<RedisClient>> fresh =
        RedisClient::Connect(url, options);
    if (!fresh.ok()) return false;
    client = *std::move(fresh);
    if (PingOnce()) return true;
    client.reset();
    return false;
  }

  bool PingOnce() {
    absl::StatusOr<RedisReply> reply = client->Command({"PING"});
    return reply.ok() && reply->str == "PONG";
  }
};

}  // namespace

std::function<bool()> ServiceApp::RedisReadiness() const {
  auto probe = std::make_shared<ReadinessProbe>();
  probe->url = config().env.redis_url;
  return [probe] {
    // A probe already running (Redis slow): answer now instead of
    // queueing, so /readyz stays within its time budget.
    std::unique_lock<std::timed_mutex> lock(probe->mu, std::defer_lock);
    if (!lock.try_lock_for(std::chrono::milliseconds(100))) return false;
    return probe->Ping();
  };
}

int RunService(int argc, char** argv, ServiceSpec spec,
               const std::function<absl::Status(ServiceApp&)>& body) {
  const std::string name = spec.name;
  const std::string usage = spec.usage;
  // Set up even when LOG_LEVEL is refused, so that this very error is
  // written in the LOG_FORMAT asked for.
  absl::Status status = InitLogging(name);
  if (!status.ok()) {
    status = ConfigurationError(
        absl::StrCat("configuration error: ", status.message()));
  }
  std::unique_ptr<ServiceApp> app;
  if (status.ok()) {
    absl::StatusOr<std::unique_ptr<ServiceApp>> created =
        ServiceApp::Create(argc, argv, std::move(spec));
    if (!created.ok() &&
        created.status().code() == absl::StatusCode::kCancelled) {
      if (created.status().message() == "--version") {
        std::cout << VersionLine(name) << "\n";
      } else {
        std::cout << usage;  // --help
      }
      return 0;
    }
    status = created.status();
    if (created.ok()) app = *std::move(created);
  }
  if (app != nullptr && app->spec().check_config) {
    if (absl::Status s = app->spec().check_config(*app); !s.ok()) {
      status = ExitCodeFor(s) == 2 ? s
                                   : ConfigurationError(absl::StrCat(
                                         "configuration error: ", s.message()));
      app.reset();
    }
  }
  if (app != nullptr && app->flags().Has("--check-config")) {
    // Loading the configuration was the check; what it resolved to goes to
    // stdout for the operator.
    std::cout << EffectiveSettingsReport(app->profiles());
    return 0;
  }
  if (app != nullptr) {
    InstallShutdownHandlers();
    status = body(*app);
  }
  if (!status.ok()) {
    const int code = ExitCodeFor(status);
    if (PayloadOf(status) == "usage") {
      LogFatal(std::string(status.message()),
               {{"exit_code", code}, {"usage", usage}});
    } else {
      LogFatal(std::string(status.message()), {{"exit_code", code}});
    }
  }
  return ExitCodeFor(status);
}

}  // namespace arxiv_digest
