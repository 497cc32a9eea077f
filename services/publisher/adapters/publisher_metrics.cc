#include "services/publisher/adapters/publisher_metrics.h"

namespace arxiv_digest {

PublisherMetrics::PublisherMetrics(
    const std::shared_ptr<prometheus::Registry>& reg)
    : registry(reg),
      scores_received(prometheus::BuildCounter()
                          .Name("arxiv_publisher_scores_received_total")
                          .Help("Score entries read from the scores stream")
                          .Register(*reg)
                          .Add({})),
      digests_published(prometheus::BuildCounter()
                            .Name("arxiv_publisher_digests_published_total")
                            .Help("Digests rendered and stored")
                            .Register(*reg)
                            .Add({})),
      publish_errors(prometheus::BuildCounter()
                         .Name("arxiv_publisher_publish_errors_total")
                         .Help("Failed attempts to publish a complete run")
                         .Register(*reg)
                         .Add({})),
      publish_duration(prometheus::BuildHistogram()
                           .Name("arxiv_publisher_publish_duration_seconds")
                           .Help("Time to render and store one digest")
                           .Register(*reg)
                           .Add({},
                                prometheus::Histogram::BucketBoundaries{
                                    0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5})),
      relevant_papers(prometheus::BuildGauge()
                          .Name("arxiv_publisher_last_digest_relevant_papers")
                          .Help("Papers in the most recently published digest")
                          .Register(*reg)
                          .Add({})),
      cost_usd(prometheus::BuildCounter()
                   .Name("arxiv_publisher_llm_cost_usd_total")
                   .Help("LLM cost of published runs, in US dollars")
                   .Register(*reg)
                   .Add({})),
      deliveries(prometheus::BuildCounter()
                     .Name("arxiv_publisher_deliveries_total")
                     .Help("Digests delivered, by sink (slack, smtp, ...)")
                     .Register(*reg)),
      delivery_errors(prometheus::BuildCounter()
                          .Name("arxiv_publisher_delivery_errors_total")
                          .Help("Failed digest deliveries, by sink")
                          .Register(*reg)) {}

}  // namespace arxiv_digest
