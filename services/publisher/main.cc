// publisher: collects each run's scores and publishes its digest; also the
// offline `publisher render` command. Wiring only.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "lib/config/config.h"
#include "lib/config/profiles.h"
#include "lib/core/flags.h"
#include "lib/core/shutdown.h"
#include "lib/http/http_client.h"
#include "lib/log/log.h"
#include "lib/metrics/admin_server.h"
#include "lib/metrics/stream_metrics.h"
#include "lib/redis/keys.h"
#include "lib/redis/redis_client.h"
#include "services/publisher/adapters/delivery_sinks.h"
#include "services/publisher/adapters/publisher_metrics.h"
#include "services/publisher/adapters/publisher_worker.h"
#include "services/publisher/adapters/render_command.h"
#include "services/publisher/adapters/run_publisher.h"

namespace arxiv_digest {
namespace {

constexpr char kUsage[] =
    "usage: publisher [--configs DIR] [--output-path DIR] [--consumer NAME]\n"
    "                 [--admin-port N]\n"
    "       publisher render --help   (offline rendering of a scored JSON)\n"
    "Environment: REDIS_URL\n";

int Main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "render") {
    return RunRenderCommand(argc - 1, argv + 1, std::cout, std::cerr);
  }
  InitLogging("publisher");
  absl::StatusOr<ParsedFlags> flags =
      ParseFlags(argc, argv, 1,
                 {"--configs", "--output-path", "--consumer", "--admin-port",
                  "--admin-host"},
                 {"--help"});
  if (!flags.ok()) {
    std::cerr << "publisher: " << flags.status().message() << "\n" << kUsage;
    return 2;
  }
  if (flags->Has("--help")) {
    std::cout << kUsage;
    return 0;
  }
  absl::StatusOr<int> admin_port = flags->GetInt("--admin-port", 9103);
  if (!admin_port.ok()) {
    std::cerr << "publisher: " << admin_port.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<std::map<std::string, Config>> profiles =
      LoadProfiles(flags->Get("--configs", "configs"));
  if (!profiles.ok()) {
    std::cerr << "publisher: configuration error: "
              << profiles.status().message() << "\n";
    return 2;
  }
  const Config* config = &profiles->at(kDefaultProfile);
  std::string output_path =
      flags->Get("--output-path", config->output.output_path);
  absl::StatusOr<std::unique_ptr<RedisClient>> redis =
      RedisClient::Connect(config->env.redis_url);
  if (!redis.ok()) {
    std::cerr << "publisher: REDIS_URL: " << redis.status().message() << "\n";
    return 1;
  }
  auto registry = std::make_shared<prometheus::Registry>();
  PublisherMetrics metrics(registry);
  StreamMetrics streams(registry, config->env.redis_url,
                        {{keys::ScoresStream(), keys::kPublisherGroup},
                         {keys::RunsStream(), keys::kPublisherGroup}});
  streams.Start();
  AdminServer admin(registry, [] { return true; });
  if (absl::Status s =
          admin.Start(flags->Get("--admin-host", "0.0.0.0"), *admin_port);
      !s.ok()) {
    std::cerr << "publisher: --admin-port: " << s.message() << "\n";
    return 2;
  }
  // Prices: built-in table, overridden/extended by configs/model_prices.ini.
  PriceTable prices = DefaultPriceTable();
  std::string prices_path =
      flags->Get("--configs", "configs") + "/model_prices.ini";
  if (std::ifstream in(prices_path); in) {
    std::stringstream text;
    text << in.rdbuf();
    absl::StatusOr<PriceTable> parsed =
        ParsePriceTable(text.str(), DefaultPriceTable());
    if (!parsed.ok()) {
      std::cerr << "publisher: configuration error: "
                << parsed.status().message() << "\n";
      return 2;
    }
    prices = *std::move(parsed);
  }
  if (!prices.count(config->selection.model)) {
    LogWarning("no price for the configured model; its cost shows as 0",
               {{"model", config->selection.model}});
  }
  // Slack/e-mail per profile ([DELIVERY]); webhook calls time out quickly so
  // a slow Slack never holds the publisher for long.
  HttplibClient webhook_http(
      HttpClientOptions{std::chrono::seconds(5), std::chrono::seconds(15)});
  ProfileDeliveryRouter delivery(*profiles, webhook_http, &GetEnvOrEmpty);
  for (const std::string& line : delivery.Describe()) {
    LogInfo("delivery", {{"sinks", line}});
  }
  RunPublisher publisher(
      **redis, *profiles, output_path, metrics,
      [&delivery](const std::string& p) { return delivery.SinksFor(p); },
      prices);
  PublisherWorkerOptions options;
  options.consumer = flags->Get("--consumer", "publisher-1");
  PublisherWorker worker(**redis, publisher, metrics, options);
  if (absl::Status s = worker.Init(); !s.ok()) {
    std::cerr << "publisher: " << s.message() << "\n";
    return 1;
  }
  InstallShutdownHandlers();
  LogInfo("publisher started", {{"output_path", output_path}});
  worker.Run();
  LogInfo("publisher stopped");
  return 0;
}

}  // namespace
}  // namespace arxiv_digest

int main(int argc, char** argv) { return arxiv_digest::Main(argc, argv); }
