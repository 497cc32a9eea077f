#include "services/fetcher/adapters/trigger_runner.h"

#include "absl/strings/str_join.h"
#include "lib/log/log.h"

namespace arxiv_digest {

TriggerRunner::TriggerRunner(const Config& config, FeedSource& feeds,
                             BackfillSource& backfill,
                             contract::RunWriter& writer, SeenStore& seen,
                             FeedDateStore& dates, FetchLock& lock,
                             std::chrono::seconds lock_ttl,
                             FetchObserver observer, TriggerListener& triggers,
                             FetcherMetrics& metrics)
    : config_(config),
      feeds_(feeds),
      backfill_(backfill),
      writer_(writer),
      seen_(seen),
      dates_(dates),
      lock_(lock),
      lock_ttl_(lock_ttl),
      observer_(std::move(observer)),
      triggers_(triggers),
      metrics_(metrics) {}

void TriggerRunner::Handle(const FetchTrigger& trigger) {
  LogInfo("trigger received",
          {{"run_id", trigger.run_id},
           {"date", trigger.date},
           {"categories", absl::StrJoin(trigger.categories, ",")}});
  absl::StatusOr<RunManifest> run = absl::InvalidArgumentError(trigger.error);
  if (trigger.error.empty() && trigger.missing_days) {
    run = catch_up_ ? catch_up_(trigger)
                    : absl::FailedPreconditionError(
                          "this fetcher cannot backfill missed days");
  } else if (trigger.error.empty()) {
    run = Fetch(trigger);
  }
  if (run.ok() && run_dates_ != nullptr && !trigger.missing_days &&
      RunCoversItsDate(*run)) {
    if (absl::StatusOr<Date> date = Date::Parse(run->date); date.ok()) {
      if (absl::Status s = run_dates_->RecordRunDate(*date); !s.ok()) {
        LogWarning(
            "cannot record the run's date",
            {{"date", date->str()}, {"error", std::string(s.message())}});
      }
    }
  }
  if (run.ok()) {
    metrics_.runs.Add({{"status", run->status}}).Increment();
    LogInfo("triggered run written",
            {{"run_id", run->run_id},
             {"status", run->status},
             {"papers_to_score", std::to_string(run->papers_to_score)}});
  } else {
    std::string error(run.status().message());
    metrics_.runs.Add({{"status", "failed"}}).Increment();
    LogError("triggered run failed",
             {{"run_id", trigger.run_id}, {"error", error}});
    if (absl::Status s = writer_.FailRun(trigger.run_id, error); !s.ok()) {
      LogError(
          "cannot mark the run failed",
          {{"run_id", trigger.run_id}, {"error", std::string(s.message())}});
    }
  }
  if (absl::Status s = triggers_.Ack(trigger); !s.ok()) {
    LogError("cannot ack trigger", {{"error", std::string(s.message())}});
  }
}

absl::StatusOr<RunManifest> TriggerRunner::Fetch(const FetchTrigger& trigger) {
  Config config = config_;
  if (!trigger.categories.empty()) {
    config.filtering.arxiv_categories = trigger.categories;
  }
  auto same_id = [&trigger](const std::string&) { return trigger.run_id; };
  FetchCycle cycle(config, feeds_, writer_, seen_, dates_, same_id, observer_);
  if (profiles_ != nullptr && trigger.categories.empty()) {
    profiles_->Serve(cycle);
  }
  BackfillCycle backfill(config, backfill_, writer_, seen_, same_id, observer_);
  if (profiles_ != nullptr && trigger.categories.empty()) {
    // A past day asked for directly reaches every profile too, without
    // depending on the api's fan-out.
    profiles_->Serve(backfill);
  }
  std::function<absl::StatusOr<RunManifest>()> body = [&] {
    return trigger.date.empty()
               ? cycle.RunOnce(/*force=*/true)
               : backfill.RunDates(trigger.date, trigger.date, /*force=*/true);
  };
  std::string lock_name = trigger.date.empty() ? "today" : trigger.date;
  absl::StatusOr<RunManifest> run =
      RunExclusive(lock_, lock_name, lock_ttl_, body);
  if (run.ok() && run->status == kStatusLocked) {
    // Nothing was written: say so on the requested run instead of leaving
    // it "requested" forever.
    return absl::UnavailableError(
        "another fetch of the same day is running; trigger again later");
  }
  return run;
}

}  // namespace arxiv_digest
