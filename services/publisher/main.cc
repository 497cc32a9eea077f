// publisher: collects each run's scores and publishes its digest; also the
// offline `publisher render` command. Wiring only.
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "lib/app/build_info.h"
#include "lib/app/service_app.h"
#include "lib/config/config.h"
#include "lib/config/model_prices.h"
#include "lib/core/flags.h"
#include "lib/log/log.h"
#include "lib/metrics/stream_metrics.h"
#include "lib/redis/keys.h"
#include "services/publisher/adapters/delivery_sinks.h"
#include "services/publisher/adapters/publisher_metrics.h"
#include "services/publisher/adapters/publisher_worker.h"
#include "services/publisher/adapters/render_command.h"
#include "services/publisher/adapters/retention_sweeper.h"
#include "services/publisher/adapters/run_publisher.h"
#include "services/publisher/logic/publish_run.h"

namespace arxiv_digest {
namespace {

constexpr char kUsage[] =
    "usage: publisher [--configs DIR] [--output-path DIR] [--consumer NAME]\n"
    "                 [--admin-port N] [--retention-interval-seconds N]\n"
    "       publisher render --help   (offline rendering of a scored JSON)\n"
    "Environment: REDIS_URL\n";

absl::Status Serve(ServiceApp& app) {
  // A bad --admin-port is reported without the usage text, as before.
  if (absl::StatusOr<int> port =
          app.flags().GetInt("--admin-port", app.spec().default_admin_port);
      !port.ok()) {
    return ConfigurationError(port.status().message());
  }
  const Config& config = app.config();
  std::string output_path =
      app.flags().Get("--output-path", config.output.output_path);
  absl::StatusOr<RetentionOptions> kept =
      RetentionFromFlags(config, app.flags());
  if (!kept.ok()) return ConfigurationError(kept.status().message());
  absl::StatusOr<std::unique_ptr<RedisClient>> redis = app.ConnectRedis();
  if (!redis.ok()) return redis.status();
  PublisherMetrics metrics(app.registry());
  StreamMetrics streams(app.registry(), config.env.redis_url,
                        {{keys::ScoresStream(), keys::kPublisherGroup},
                         {keys::RunsStream(), keys::kPublisherGroup}});
  streams.Start();
  if (absl::Status s = app.StartAdmin(app.RedisReadiness()); !s.ok()) {
    return s;
  }
  absl::StatusOr<PriceTable> prices = LoadPriceTable(app.configs_dir());
  if (!prices.ok()) {
    return ConfigurationError(
        absl::StrCat("configuration error: ", prices.status().message()));
  }
  // Every profile's model has a price: spec.check_config checked it.
  // Slack/e-mail per profile ([DELIVERY]).
  ServiceDelivery delivery(app.profiles(), &GetEnvOrEmpty);
  RunPublisher publisher(**redis, app.profiles(), output_path, metrics,
                         delivery.Sinks(), *prices);
  PublisherWorkerOptions options;
  options.consumer = app.flags().Get("--consumer", "publisher-1");
  PublisherWorker worker(**redis, publisher, metrics, options);
  if (absl::Status s = worker.Init(); !s.ok()) return s;
  LogInfo("publisher started", {{"output_path", output_path}});
  auto retention =
      RetentionThread::Start(app.ConnectRedis(), *kept, *app.registry());
  if (!retention.ok()) return retention.status();
  worker.Run();
  LogInfo("publisher stopped");
  return absl::OkStatus();
}

int Main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "render") {
    return RunRenderCommand(argc - 1, argv + 1, VersionLine("publisher"),
                            std::cout, std::cerr);
  }
  ServiceSpec spec;
  spec.name = "publisher";
  spec.usage = kUsage;
  spec.default_admin_port = 9103;
  spec.value_flags = {"--output-path", "--consumer",
                      "--retention-interval-seconds",
                      "--retention-day-seconds"};
  // Every profile's header states its cost: a model without a price is a
  // startup (and --check-config) error naming the profile and the setting.
  spec.check_config = [](const ServiceApp& app) {
    return CheckProfilePrices(app.configs_dir(), app.profiles());
  };
  return RunService(argc, argv, spec, Serve);
}

}  // namespace
}  // namespace arxiv_digest

int main(int argc, char** argv) { return arxiv_digest::Main(argc, argv); }
