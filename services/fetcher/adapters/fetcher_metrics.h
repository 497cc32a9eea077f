// The fetcher's Prometheus metrics, registered once per process.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>
#include <vector>

#include "services/fetcher/adapters/gated_http_client.h"
#include "services/fetcher/logic/fetch_ports.h"
#include "services/fetcher/logic/fetch_scheduler.h"

namespace arxiv_digest {

struct FetcherMetrics {
  explicit FetcherMetrics(
      const std::shared_ptr<prometheus::Registry>& registry);

  std::shared_ptr<prometheus::Registry> registry;
  // arxiv_fetcher_papers_fetched_total{category, announce_type}
  prometheus::Family<prometheus::Counter>& papers_fetched;
  // arxiv_fetcher_feed_errors_total{category, kind}; kind: fetch, html_page,
  // unsupported_format, malformed_xml, invalid_item, invalid_utf8 (counts
  // replaced sequences), large_feed, api_error, not_found.
  prometheus::Family<prometheus::Counter>& feed_errors;
  // arxiv_fetcher_runs_total{status}: fetched, no_announcements, locked,
  // failed.
  prometheus::Family<prometheus::Counter>& runs;
  prometheus::Histogram& cycle_duration;
  // arxiv_fetcher_http_requests_total{outcome}: one per attempt, see
  // ClassifyOutcome (ok, not_modified, rate_limited, unavailable, ...).
  prometheus::Family<prometheus::Counter>& http_requests;
  // arxiv_fetcher_feed_fetch_duration_seconds: one HTTP attempt to arXiv.
  prometheus::Histogram& feed_fetch_duration;
  // arxiv_fetcher_papers_skipped_seen_total: selected papers not delivered
  // again because an earlier run did.
  prometheus::Counter& papers_skipped_seen;
  // arxiv_fetcher_rate_limit_wait_seconds_total: time spent waiting for the
  // shared arXiv request slot.
  prometheus::Counter& rate_limit_wait;
};

// The observers of the logic and the HTTP client, counting into `metrics`
// (which must outlive them).
FetchObserver FetchObserverFor(FetcherMetrics& metrics);
SchedulerObserver SchedulerObserverFor(FetcherMetrics& metrics);
HttpObserver HttpObserverFor(FetcherMetrics& metrics);

// Exports feed_errors{category, kind} at 0 for every configured category and
// the kinds a feed can fail with, so increase() sees the first error.
void ExportFeedErrorsAtZero(FetcherMetrics& metrics,
                            const std::vector<std::string>& categories);

}  // namespace arxiv_digest
