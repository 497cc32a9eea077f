// Reads one sample out of a prometheus-cpp registry, for tests that check
// what a service exported.
#pragma once

#include <prometheus/registry.h>

#include <map>
#include <optional>
#include <string>

namespace arxiv_digest::testing {

// The value of the first sample of family `name` whose labels include all
// of `labels` (a counter's or a gauge's value); nullopt when none has.
std::optional<double> MetricSample(
    prometheus::Registry& registry, const std::string& name,
    const std::map<std::string, std::string>& labels = {});

}  // namespace arxiv_digest::testing
