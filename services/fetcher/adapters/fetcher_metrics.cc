#include "services/fetcher/adapters/fetcher_metrics.h"

namespace arxiv_digest {

FetcherMetrics::FetcherMetrics(const std::shared_ptr<prometheus::Registry>& reg)
    : registry(reg),
      papers_fetched(prometheus::BuildCounter()
                         .Name("arxiv_fetcher_papers_fetched_total")
                         .Help("Papers appended to the papers stream")
                         .Register(*reg)),
      feed_errors(prometheus::BuildCounter()
                      .Name("arxiv_fetcher_feed_errors_total")
                      .Help("Feed problems by category and kind (fetch, "
                            "html_page, malformed_xml, invalid_item, "
                            "invalid_utf8, ...)")
                      .Register(*reg)),
      runs(prometheus::BuildCounter()
               .Name("arxiv_fetcher_runs_total")
               .Help("Fetch cycles by final status")
               .Register(*reg)),
      cycle_duration(prometheus::BuildHistogram()
                         .Name("arxiv_fetcher_cycle_duration_seconds")
                         .Help("Duration of one fetch cycle")
                         .Register(*reg)
                         .Add({},
                              prometheus::Histogram::BucketBoundaries{
                                  0.1, 0.5, 1, 2, 5, 10, 30, 60, 120})),
      http_requests(prometheus::BuildCounter()
                        .Name("arxiv_fetcher_http_requests_total")
                        .Help("HTTP attempts to arXiv by outcome")
                        .Register(*reg)),
      feed_fetch_duration(
          prometheus::BuildHistogram()
              .Name("arxiv_fetcher_feed_fetch_duration_seconds")
              .Help("Duration of one HTTP attempt to arXiv")
              .Register(*reg)
              .Add({},
                   prometheus::Histogram::BucketBoundaries{
                       0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60})),
      papers_skipped_seen(
          prometheus::BuildCounter()
              .Name("arxiv_fetcher_papers_skipped_seen_total")
              .Help("Selected papers skipped: delivered by an earlier run")
              .Register(*reg)
              .Add({})),
      rate_limit_wait(
          prometheus::BuildCounter()
              .Name("arxiv_fetcher_rate_limit_wait_seconds_total")
              .Help("Time spent waiting for the shared arXiv request slot")
              .Register(*reg)
              .Add({})) {}

FetchObserver FetchObserverFor(FetcherMetrics& metrics) {
  FetchObserver observer;
  observer.on_paper = [&metrics](const std::string& category,
                                 const Paper& paper) {
    metrics.papers_fetched
        .Add({{"category", category}, {"announce_type", paper.announce_type}})
        .Increment();
  };
  observer.on_feed_error = [&metrics](const std::string& category,
                                      const std::string& kind, int64_t count) {
    metrics.feed_errors.Add({{"category", category}, {"kind", kind}})
        .Increment(static_cast<double>(count));
  };
  observer.on_skipped_seen = [&metrics](int64_t count) {
    metrics.papers_skipped_seen.Increment(static_cast<double>(count));
  };
  return observer;
}

SchedulerObserver SchedulerObserverFor(FetcherMetrics& metrics) {
  SchedulerObserver observer;
  observer.on_run = [&metrics](const absl::StatusOr<RunManifest>& run,
                               double seconds) {
    metrics.cycle_duration.Observe(seconds);
    metrics.runs.Add({{"status", run.ok() ? run->status : "failed"}})
        .Increment();
  };
  return observer;
}

HttpObserver HttpObserverFor(FetcherMetrics& metrics) {
  HttpObserver observer;
  observer.on_attempt = [&metrics](const std::string& outcome, double seconds) {
    metrics.http_requests.Add({{"outcome", outcome}}).Increment();
    metrics.feed_fetch_duration.Observe(seconds);
  };
  return observer;
}

void ExportFeedErrorsAtZero(FetcherMetrics& metrics,
                            const std::vector<std::string>& categories) {
  for (const std::string& category : categories) {
    for (const char* kind : {"fetch", "html_page", "unsupported_format",
                             "malformed_xml", "invalid_item", "invalid_utf8"}) {
      metrics.feed_errors.Add({{"category", category}, {"kind", kind}});
    }
  }
}

}  // namespace arxiv_digest
