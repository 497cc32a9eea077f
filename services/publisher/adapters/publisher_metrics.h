// The publisher's Prometheus metrics, registered once per process.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>

namespace arxiv_digest {

struct PublisherMetrics {
  explicit PublisherMetrics(
      const std::shared_ptr<prometheus::Registry>& registry);

  std::shared_ptr<prometheus::Registry> registry;
  prometheus::Counter& scores_received;
  prometheus::Counter& digests_published;
  prometheus::Counter& publish_errors;
  prometheus::Histogram& publish_duration;
  prometheus::Gauge& relevant_papers;  // of the last digest
  prometheus::Counter& cost_usd;       // LLM spend of published runs
  prometheus::Family<prometheus::Counter>& deliveries;       // label: sink
  prometheus::Family<prometheus::Counter>& delivery_errors;  // label: sink
};

}  // namespace arxiv_digest
