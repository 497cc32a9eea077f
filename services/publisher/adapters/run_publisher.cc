#include "services/publisher/adapters/run_publisher.h"

#include <utility>

namespace arxiv_digest {
namespace {

PublishObserver MetricsObserver(PublisherMetrics& metrics) {
  PublishObserver observer;
  observer.on_store_failed = [&metrics] { metrics.publish_errors.Increment(); };
  observer.on_published = [&metrics](const AssembledDigest& d,
                                     std::chrono::duration<double> took) {
    metrics.digests_published.Increment();
    metrics.relevant_papers.Set(static_cast<double>(d.relevant_papers));
    metrics.cost_usd.Increment(d.cost.prompt + d.cost.completion);
    metrics.publish_duration.Observe(took.count());
  };
  observer.on_delivery = [&metrics](const std::string& sink,
                                    const absl::Status& result) {
    (result.ok() ? metrics.deliveries : metrics.delivery_errors)
        .Add({{"sink", sink}})
        .Increment();
  };
  return observer;
}

// [RETENTION] is an installation setting: the default profile's.
RetentionConfig RetentionOf(const std::map<std::string, Config>& profiles) {
  auto it = profiles.find("default");
  return it == profiles.end() ? RetentionConfig{} : it->second.retention;
}

}  // namespace

RunPublisher::RunPublisher(RedisClient& redis,
                           const std::map<std::string, Config>& profiles,
                           std::string output_path, PublisherMetrics& metrics,
                           SinksForProfile sinks, const PriceTable& prices,
                           Clock& clock)
    : runs_(redis, std::chrono::hours(24) * RetentionOf(profiles).run_days),
      store_(redis, std::move(output_path), clock,
             RetentionOf(profiles).digest_days),
      publish_(runs_, store_, profiles, prices, std::move(sinks), clock,
               MetricsObserver(metrics)) {}

absl::StatusOr<bool> RunPublisher::TryPublish(const std::string& run_id) {
  absl::StatusOr<PublishOutcome> outcome = publish_.Publish(run_id);
  if (!outcome.ok()) return outcome.status();
  return *outcome == PublishOutcome::kPublished;
}

}  // namespace arxiv_digest
