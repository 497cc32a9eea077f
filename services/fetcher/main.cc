// fetcher: reads the configured arXiv RSS feeds (or, for backfills, the
// query API / OAI-PMH) and appends one entry per kept paper to the papers
// stream, then the run manifest. Wiring only: startup is lib/app
// (RunService), the command line logic/fetcher_options, the loop
// logic/fetch_scheduler.
#include <iostream>

#include "lib/app/service_app.h"
#include "lib/core/clock.h"
#include "lib/core/shutdown.h"
#include "services/fetcher/adapters/arxiv_backfill_source.h"
#include "services/fetcher/adapters/arxiv_http.h"
#include "services/fetcher/adapters/fetcher_metrics.h"
#include "services/fetcher/adapters/fetcher_stores.h"
#include "services/fetcher/adapters/http_feed_source.h"
#include "services/fetcher/adapters/profile_readers.h"
#include "services/fetcher/adapters/redis_run_date_index.h"
#include "services/fetcher/adapters/trigger_listener.h"
#include "services/fetcher/adapters/trigger_runner.h"
#include "services/fetcher/logic/fetch_scheduler.h"
#include "services/fetcher/logic/fetcher_options.h"
#include "services/fetcher/logic/run_plan.h"

namespace arxiv_digest {
namespace {

absl::Status Fetch(ServiceApp& app) {
  // The fetcher's own checks (messages naming the flag, exit code 2).
  ParsedFetcherOptions parsed = FetcherOptionsFromFlags(app.flags());
  if (parsed.error) {
    return parsed.error->show_usage ? UsageError(parsed.error->message)
                                    : ConfigurationError(parsed.error->message);
  }
  const FetcherOptions& options = *parsed.options;
  absl::StatusOr<std::unique_ptr<RedisClient>> redis = app.ConnectRedis();
  if (!redis.ok()) return redis.status();
  FetcherMetrics metrics(app.registry());
  if (absl::Status s = app.StartAdmin(app.RedisReadiness()); !s.ok()) {
    return s;
  }

  const Config& config = app.config();
  const FetcherConfig& fc = config.fetcher;
  Clock& clock = SystemClock();
  ArxivHttp http(fc, **redis, clock, metrics);
  FetcherStores stores(**redis, fc, config.retention);
  HttpFeedSource source(http.client(), config.env.arxiv_rss_url,
                        &stores.validators);
  ArxivBackfillSource backfill_source(http.client(), config.env.arxiv_api_url,
                                      config.env.arxiv_oai_url);
  FetchObserver observer = FetchObserverFor(metrics);
  // One fetch covers every profile's feeds; each non-default profile gets
  // a child run of the daily run with its own selection.
  ProfileReaders profiles(**redis, app.profiles(), config.retention);
  ExportFeedErrorsAtZero(metrics, profiles.AllFeedEntries());
  FetchCycle cycle(config, source, stores.writer, stores.seen, stores.dates,
                   &RandomRunId, observer);
  profiles.Serve(cycle);
  BackfillCycle backfills(config, backfill_source, stores.writer, stores.seen,
                          &RandomRunId, observer);
  // Date-range backfills (the missed-day catch-up included) serve every
  // profile the same way.
  profiles.Serve(backfills);
  const std::chrono::seconds lock_ttl(fc.lock_ttl_seconds);
  RedisRunDateIndex run_dates(**redis);
  CatchUpPlan catch_up{
      .index = &run_dates,
      .lock = &stores.lock,
      // Replayed feed folders (file://) have no arXiv
      // behind them to backfill from.
      .policy = {.enabled = fc.backfill_missing &&
                            config.env.arxiv_rss_url.rfind("file://", 0) != 0,
                 .max_days = fc.backfill_max_days,
                 .lookback_days = fc.backfill_lookback_days}};

  TriggerListener triggers(
      **redis, options.consumer.value_or(DefaultConsumerName("fetcher")));
  if (absl::Status s = options.once ? absl::OkStatus() : triggers.Init();
      !s.ok()) {
    return s;
  }
  TriggerRunner trigger_runner(config, source, backfill_source, stores.writer,
                               stores.seen, stores.dates, stores.lock, lock_ttl,
                               observer, triggers, metrics);
  trigger_runner.set_profiles(&profiles);
  trigger_runner.set_run_dates(&run_dates);
  trigger_runner.set_catch_up([&](const FetchTrigger& t) {
    absl::StatusOr<Date> today = Date::Parse(TodayUtc(clock));
    if (!today.ok()) return absl::StatusOr<RunManifest>(today.status());
    return CatchUpOnRequest(t.run_id, *today, backfills, lock_ttl, catch_up,
                            stores.writer);
  });
  FetchScheduler scheduler(
      {.interval = options.interval, .triggers_only = options.triggers_only},
      PlanRun(options, cycle, backfills, clock, lock_ttl, catch_up),
      stores.lock, triggers,
      [&](const FetchTrigger& t) { trigger_runner.Handle(t); }, clock,
      &ShutdownRequested, SchedulerObserverFor(metrics));

  if (!options.once) {
    scheduler.Serve();
    return absl::OkStatus();
  }
  absl::StatusOr<RunManifest> run = scheduler.RunOnce();
  if (!run.ok()) return run.status();
  std::cout << OnceSummary(*run);
  return absl::OkStatus();
}

}  // namespace
}  // namespace arxiv_digest

int main(int argc, char** argv) {
  arxiv_digest::ServiceSpec spec;
  spec.name = "fetcher";
  spec.usage = arxiv_digest::kFetcherUsage;
  spec.default_admin_port = 9101;
  spec.value_flags = arxiv_digest::FetcherValueFlags();
  spec.switch_flags = arxiv_digest::FetcherSwitchFlags();
  spec.load_profiles = true;  // every profile's feeds are fetched
  return arxiv_digest::RunService(argc, argv, std::move(spec),
                                  arxiv_digest::Fetch);
}
