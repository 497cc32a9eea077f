// fetcher: reads the configured arXiv RSS feeds (or, for backfills, the
// query API / OAI-PMH) and appends one entry per kept paper to the papers
// stream, then the run manifest. Wiring only.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "lib/config/config.h"
#include "lib/core/flags.h"
#include "lib/core/shutdown.h"
#include "lib/http/http_client.h"
#include "lib/log/log.h"
#include "lib/metrics/admin_server.h"
#include "lib/redis/keys.h"
#include "lib/redis/redis_client.h"
#include "services/fetcher/adapters/arxiv_backfill_source.h"
#include "services/fetcher/adapters/fetcher_metrics.h"
#include "services/fetcher/adapters/http_feed_source.h"
#include "services/fetcher/adapters/polite_http_client.h"
#include "services/fetcher/adapters/real_clock.h"
#include "services/fetcher/adapters/redis_feed_state.h"
#include "services/fetcher/adapters/redis_fetch_lock.h"
#include "services/fetcher/adapters/redis_run_writer.h"
#include "services/fetcher/adapters/redis_seen_store.h"
#include "services/fetcher/adapters/request_gate.h"
#include "services/fetcher/adapters/trigger_listener.h"
#include "services/fetcher/adapters/trigger_runner.h"
#include "services/fetcher/logic/backfill.h"
#include "services/fetcher/logic/backfill_cycle.h"
#include "services/fetcher/logic/fetch_cycle.h"
#include "services/fetcher/logic/run_lock.h"

namespace arxiv_digest {
namespace {

constexpr char kUsage[] =
    "usage: fetcher [--configs DIR] [--once] [--force] [--interval-seconds N]\n"
    "               [--ids ID,ID,...] [--from YYYY-MM-DD [--until "
    "YYYY-MM-DD]]\n"
    "               [--admin-port N] [--admin-host H]\n"
    "  --once    fetch once, print run_id=…, status=…, date=… (and reason=…), "
    "exit\n"
    "  --force   re-run: ignore the last run's feed date, conditional GET and\n"
    "            de-duplication against papers already delivered\n"
    "  --ids     backfill: score these papers (arXiv query API), then exit\n"
    "  --from/--until  backfill: the configured categories' papers announced\n"
    "            in that date range (OAI-PMH), then exit\n"
    "Without --once it fetches every --interval-seconds and, in between,\n"
    "serves TriggerRun requests of the api (stream arxiv:triggers);\n"
    "  --triggers-only  serve only those (the schedule is a CronJob)\n"
    "  --consumer NAME  its name in the fetchers group (default host-pid)\n"
    "Environment: REDIS_URL, ARXIV_RSS_URL (http(s):// or file:// base),\n"
    "             ARXIV_API_URL, ARXIV_OAI_URL\n";

std::string TodayUtc(Clock& clock) {
  return absl::FormatTime("%Y-%m-%d", absl::FromChrono(clock.Now()),
                          absl::UTCTimeZone());
}

std::string DefaultConsumer() {
  char host[256] = "fetcher";
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + "-" + std::to_string(getpid());
}

int Main(int argc, char** argv) {
  InitLogging("fetcher");
  absl::StatusOr<ParsedFlags> flags = ParseFlags(
      argc, argv, 1,
      {"--configs", "--admin-port", "--admin-host", "--interval-seconds",
       "--ids", "--from", "--until", "--consumer"},
      {"--once", "--force", "--triggers-only", "--help"});
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
              << (!admin_port.ok()
                      ? admin_port.status().message()
                      : "--interval-seconds must be a positive integer")
              << "\n";
    return 2;
  }
  // Backfill modes, validated before anything connects.
  std::vector<std::string> ids;
  std::string from = flags->Get("--from"), until = flags->Get("--until");
  if (!flags->Get("--ids").empty()) {
    absl::StatusOr<std::vector<std::string>> parsed =
        ParseIdList(flags->Get("--ids"));
    if (!parsed.ok()) {
      std::cerr << "fetcher: " << parsed.status().message() << "\n";
      return 2;
    }
    ids = *std::move(parsed);
  }
  if (!until.empty() && from.empty()) {
    std::cerr << "fetcher: --until needs --from\n";
    return 2;
  }
  if (!from.empty()) {
    if (until.empty()) until = from;
    if (absl::Status s = ValidateDateRange(from, until); !s.ok()) {
      std::cerr << "fetcher: " << s.message() << "\n";
      return 2;
    }
  }
  if (!ids.empty() && !from.empty()) {
    std::cerr << "fetcher: --ids and --from are exclusive\n";
    return 2;
  }
  bool backfill = !ids.empty() || !from.empty();
  bool once = flags->Has("--once") || backfill;
  bool force = flags->Has("--force");

  absl::StatusOr<Config> config =
      LoadConfig(flags->Get("--configs", "configs"));
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

  const FetcherConfig& fc = config->fetcher;
  RealClock clock;
  HttpClientOptions http_options;
  http_options.read_timeout = std::chrono::seconds(fc.request_timeout_seconds);
  http_options.connect_timeout =
      std::chrono::seconds(std::min(10, fc.request_timeout_seconds));
  http_options.user_agent = ArxivUserAgent(fc.contact);
  HttplibClient raw_http(http_options);
  RedisRequestGate::Options gate_options;
  gate_options.key = keys::RateLimit("arxiv.org");
  gate_options.min_interval =
      std::chrono::milliseconds(fc.min_request_interval_ms);
  // Held while a request runs; expires on its own if this process dies.
  gate_options.hold = std::chrono::seconds(2 * fc.request_timeout_seconds) +
                      gate_options.min_interval;
  RedisRequestGate gate(**redis, clock, gate_options, [&](double seconds) {
    metrics.rate_limit_wait.Increment(seconds);
  });
  RetryOptions retry;
  retry.max_retries = fc.max_retries;
  HttpObserver http_observer;
  http_observer.on_attempt = [&](const std::string& outcome, double seconds) {
    metrics.http_requests.Add({{"outcome", outcome}}).Increment();
    metrics.feed_fetch_duration.Observe(seconds);
  };
  PoliteHttpClient http(raw_http, &gate, clock, retry, http_observer);

  RedisValidatorStore validators(**redis);
  HttpFeedSource source(http, config->env.arxiv_rss_url, &validators);
  RedisRunWriter writer(**redis);
  RedisSeenStore seen(**redis, std::chrono::hours(24) * fc.seen_ttl_days);
  RedisFeedDateStore dates(**redis);
  RedisFetchLock lock(**redis);
  ArxivBackfillSource backfill_source(http, config->env.arxiv_api_url,
                                      config->env.arxiv_oai_url);

  FetchObserver observer;
  observer.on_paper = [&](const std::string& category, const Paper& paper) {
    metrics.papers_fetched
        .Add({{"category", category}, {"announce_type", paper.announce_type}})
        .Increment();
  };
  observer.on_feed_error = [&](const std::string& category,
                               const std::string& kind, int64_t count) {
    metrics.feed_errors.Add({{"category", category}, {"kind", kind}})
        .Increment(static_cast<double>(count));
  };
  observer.on_skipped_seen = [&](int64_t count) {
    metrics.papers_skipped_seen.Increment(static_cast<double>(count));
  };
  // Exported at 0 from the start, so increase() sees the first error.
  for (const std::string& category : config->filtering.arxiv_categories) {
    for (const char* kind : {"fetch", "html_page", "unsupported_format",
                             "malformed_xml", "invalid_item", "invalid_utf8"}) {
      metrics.feed_errors.Add({{"category", category}, {"kind", kind}});
    }
  }
  FetchCycle cycle(*config, source, writer, seen, dates, &RandomRunId,
                   observer);
  BackfillCycle backfills(*config, backfill_source, writer, seen, &RandomRunId,
                          observer);

  std::string lock_name = "today";
  std::function<absl::StatusOr<RunManifest>()> body = [&] {
    return cycle.RunOnce(force);
  };
  if (!ids.empty()) {
    lock_name = "ids";
    body = [&] { return backfills.RunIds(ids, TodayUtc(clock)); };
  } else if (!from.empty()) {
    lock_name = from + ".." + until;
    body = [&] { return backfills.RunDates(from, until, force); };
  }
  std::chrono::seconds lock_ttl(fc.lock_ttl_seconds);

  TriggerListener triggers(**redis,
                           flags->Get("--consumer", DefaultConsumer()));
  if (!once) {
    if (absl::Status s = triggers.Init(); !s.ok()) {
      std::cerr << "fetcher: " << s.message() << "\n";
      return 1;
    }
  }
  TriggerRunner trigger_runner(*config, source, backfill_source, writer, seen,
                               dates, lock, lock_ttl, observer, triggers,
                               metrics);

  InstallShutdownHandlers();
  // --triggers-only: no schedule of its own (a CronJob runs --once); this
  // replica only serves TriggerRun requests.
  const bool triggers_only = flags->Has("--triggers-only") && !once;
  while (true) {
    if (triggers_only) {
      absl::StatusOr<std::optional<FetchTrigger>> trigger =
          triggers.Next(std::chrono::milliseconds(1000));
      if (ShutdownRequested()) return 0;
      if (!trigger.ok()) {
        LogError("reading triggers failed",
                 {{"error", std::string(trigger.status().message())}});
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));
      } else if (trigger->has_value()) {
        trigger_runner.Handle(**trigger);
      }
      continue;
    }
    auto start = std::chrono::steady_clock::now();
    absl::StatusOr<RunManifest> run =
        RunExclusive(lock, lock_name, lock_ttl, body);
    metrics.cycle_duration.Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
    if (run.ok()) {
      metrics.runs.Add({{"status", run->status}}).Increment();
      LogInfo("run written",
              {{"run_id", run->run_id},
               {"status", run->status},
               {"date", run->date},
               {"reason", run->reason},
               {"total_papers", std::to_string(run->total_papers)},
               {"scanned_papers", std::to_string(run->scanned_papers)},
               {"skipped_seen", std::to_string(run->skipped_seen)},
               {"papers_to_score", std::to_string(run->papers_to_score)}});
    } else {
      metrics.runs.Add({{"status", "failed"}}).Increment();
      LogError("fetch failed",
               {{"error", std::string(run.status().message())}});
    }
    if (once) {
      if (!run.ok()) {
        std::cerr << "fetcher: " << run.status().message() << "\n";
        return 1;
      }
      std::cout << "run_id=" << run->run_id << "\nstatus=" << run->status
                << "\ndate=" << run->date << "\n";
      if (!run->reason.empty()) std::cout << "reason=" << run->reason << "\n";
      return 0;
    }
    // Between scheduled cycles, serve TriggerRun requests from the API.
    auto next =
        std::chrono::steady_clock::now() + std::chrono::seconds(*interval);
    while (!ShutdownRequested() && std::chrono::steady_clock::now() < next) {
      absl::StatusOr<std::optional<FetchTrigger>> trigger =
          triggers.Next(std::chrono::milliseconds(1000));
      if (!trigger.ok()) {
        LogError("reading triggers failed",
                 {{"error", std::string(trigger.status().message())}});
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));
        continue;
      }
      if (!trigger->has_value()) continue;
      trigger_runner.Handle(**trigger);
    }
    if (ShutdownRequested()) return 0;
  }
}

}  // namespace
}  // namespace arxiv_digest

int main(int argc, char** argv) { return arxiv_digest::Main(argc, argv); }
