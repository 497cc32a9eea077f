// The fetcher's Prometheus metrics, registered once per process.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>

namespace arxiv_digest {

struct FetcherMetrics {
  explicit FetcherMetrics(std::shared_ptr<prometheus::Registry> registry);

  std::shared_ptr<prometheus::Registry> registry;
  // Labels: category (configured feed entry), announce_type.
  prometheus::Family<prometheus::Counter>& papers_fetched;
  // Labels: category.
  prometheus::Family<prometheus::Counter>& feed_errors;
  prometheus::Family<prometheus::Counter>& runs;  // label: status
  prometheus::Histogram& cycle_duration;
};

}  // namespace arxiv_digest
