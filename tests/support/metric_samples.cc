#include "tests/support/metric_samples.h"

namespace arxiv_digest::testing {

std::optional<double> MetricSample(
    prometheus::Registry& registry, const std::string& name,
    const std::map<std::string, std::string>& labels) {
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const prometheus::ClientMetric& metric : family.metric) {
      size_t matched = 0;
      for (const prometheus::ClientMetric::Label& l : metric.label) {
        auto it = labels.find(l.name);
        if (it != labels.end() && it->second == l.value) ++matched;
      }
      if (matched != labels.size()) continue;
      if (family.type == prometheus::MetricType::Counter) {
        return metric.counter.value;
      }
      return metric.gauge.value;
    }
  }
  return std::nullopt;
}

}  // namespace arxiv_digest::testing
