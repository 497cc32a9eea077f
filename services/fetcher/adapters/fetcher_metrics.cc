#include "services/fetcher/adapters/fetcher_metrics.h"

namespace arxiv_digest {

FetcherMetrics::FetcherMetrics(std::shared_ptr<prometheus::Registry> reg)
    : registry(reg),
      papers_fetched(prometheus::BuildCounter()
                         .Name("arxiv_fetcher_papers_fetched_total")
                         .Help("Papers appended to the papers stream")
                         .Register(*reg)),
      feed_errors(prometheus::BuildCounter()
                      .Name("arxiv_fetcher_feed_errors_total")
                      .Help("Feeds that could not be fetched or parsed")
                      .Register(*reg)),
      runs(prometheus::BuildCounter()
               .Name("arxiv_fetcher_runs_total")
               .Help("Fetch cycles by final status")
               .Register(*reg)),
      cycle_duration(prometheus::BuildHistogram()
                         .Name("arxiv_fetcher_cycle_duration_seconds")
                         .Help("Duration of one fetch cycle")
                         .Register(*reg)
                         .Add({}, prometheus::Histogram::BucketBoundaries{
                                      0.1, 0.5, 1, 2, 5, 10, 30, 60, 120})) {}

}  // namespace arxiv_digest
