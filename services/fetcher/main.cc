// fetcher: reads the configured arXiv RSS feeds and appends one entry per
// kept paper to the papers stream, then the run manifest. Wiring only.
#include <chrono>
#include <iostream>
#include <thread>

#include "lib/config/config.h"
#include "lib/core/flags.h"
#include "lib/core/shutdown.h"
#include "lib/http/http_client.h"
#include "lib/log/log.h"
#include "lib/metrics/admin_server.h"
#include "lib/redis/redis_client.h"
#include "services/fetcher/adapters/fetcher_metrics.h"
#include "services/fetcher/adapters/http_feed_source.h"
#include "services/fetcher/adapters/redis_run_writer.h"
#include "services/fetcher/logic/fetch_cycle.h"

namespace arxiv_digest {
namespace {

constexpr char kUsage[] =
    "usage: fetcher [--configs DIR] [--once] [--interval-seconds N]\n"
    "               [--admin-port N] [--admin-host H]\n"
    "  --once    fetch once, print run_id=… and status=…, exit\n"
    "Environment: REDIS_URL, ARXIV_RSS_URL (http(s):// or file:// base)\n";

int Main(int argc, char** argv) {
  InitLogging("fetcher");
  absl::StatusOr<ParsedFlags> flags = ParseFlags(
      argc, argv, 1,
      {"--configs", "--admin-port", "--admin-host", "--interval-seconds"},
      {"--once", "--help"});
  if (!flags.ok()) {
    std::cerr << "fetcher: " << flags.status().message() << "\n" << kUsage;
    return 2;
  }
  if (flags->Has("--help")) {
    std::cout << kUsage;
    return 0;
  }
  absl::StatusOr<int> admin_port = flags->GetInt("--admin-port", 9101);
  absl::StatusOr<int> interval = flags->GetInt("--interval-seconds", 3600);
  if (!admin_port.ok() || !interval.ok() || *interval <= 0) {
    std::cerr << "fetcher: "
              << (!admin_port.ok() ? admin_port.status().message()
                                   : "--interval-seconds must be a positive integer")
              << "\n";
    return 2;
  }
  absl::StatusOr<Config> config = LoadConfig(flags->Get("--configs", "configs"));
  if (!config.ok()) {
    std::cerr << "fetcher: configuration error: " << config.status().message()
              << "\n";
    return 2;
  }
  absl::StatusOr<std::unique_ptr<RedisClient>> redis =
      RedisClient::Connect(config->env.redis_url);
  if (!redis.ok()) {
    std::cerr << "fetcher: REDIS_URL: " << redis.status().message() << "\n";
    return 1;
  }

  auto registry = std::make_shared<prometheus::Registry>();
  FetcherMetrics metrics(registry);
  AdminServer admin(registry, [] { return true; });
  if (absl::Status s =
          admin.Start(flags->Get("--admin-host", "0.0.0.0"), *admin_port);
      !s.ok()) {
    std::cerr << "fetcher: --admin-port: " << s.message() << "\n";
    return 2;
  }

  HttplibClient http;
  HttpFeedSource source(http, config->env.arxiv_rss_url);
  RedisRunWriter writer(**redis);
  FetchObserver observer;
  observer.on_paper = [&](const std::string& category, const Paper& paper) {
    metrics.papers_fetched
        .Add({{"category", category}, {"announce_type", paper.announce_type}})
        .Increment();
  };
  observer.on_feed_error = [&](const std::string& category, const std::string&) {
    metrics.feed_errors.Add({{"category", category}}).Increment();
  };
  FetchCycle cycle(*config, source, writer, &RandomRunId, observer);

  InstallShutdownHandlers();
  while (true) {
    auto start = std::chrono::steady_clock::now();
    absl::StatusOr<RunManifest> run = cycle.RunOnce();
    metrics.cycle_duration.Observe(std::chrono::duration<double>(
                                       std::chrono::steady_clock::now() - start)
                                       .count());
    if (run.ok()) {
      metrics.runs.Add({{"status", run->status}}).Increment();
      LogInfo("run written",
              {{"run_id", run->run_id},
               {"status", run->status},
               {"date", run->date},
               {"total_papers", std::to_string(run->total_papers)},
               {"scanned_papers", std::to_string(run->scanned_papers)},
               {"papers_to_score", std::to_string(run->papers_to_score)}});
    } else {
      metrics.runs.Add({{"status", "failed"}}).Increment();
      LogError("fetch failed", {{"error", std::string(run.status().message())}});
    }
    if (flags->Has("--once")) {
      if (!run.ok()) return 1;
      std::cout << "run_id=" << run->run_id << "\nstatus=" << run->status
                << "\ndate=" << run->date << "\n";
      return 0;
    }
    auto next = std::chrono::steady_clock::now() + std::chrono::seconds(*interval);
    while (!ShutdownRequested() && std::chrono::steady_clock::now() < next) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (ShutdownRequested()) return 0;
  }
}

}  // namespace
}  // namespace arxiv_digest

int main(int argc, char** argv) { return arxiv_digest::Main(argc, argv); }
