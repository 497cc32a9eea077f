// The api service's Prometheus metrics. Label values are bounded: method
// names and gRPC code names, never ids or client-supplied text.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

namespace arxiv_digest::api {

class ApiMetrics {
 public:
  explicit ApiMetrics(std::shared_ptr<prometheus::Registry> registry);

  // One finished RPC: arxiv_api_grpc_requests_total{method,code} and
  // arxiv_api_grpc_request_duration_seconds{method}. Thread-safe.
  void RecordRpc(const std::string& method, const std::string& code,
                 double seconds);
  void RecordWeb(const std::string& route, int status);
  // A request refused by an abuse limit: arxiv_api_limited_total{limit}
  // (trigger, rescore, dry_run, work_budget, concurrent_rescores, watch).
  void RecordLimited(const char* limit);

  prometheus::Counter& rescore_jobs;  // jobs (runs) created by Rescore
  prometheus::Counter& profile_runs;  // runs created by the fan-out
  prometheus::Counter& triggers;      // TriggerRun requests accepted
  prometheus::Gauge& active_watches;  // open WatchJob streams

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& durations_;
  prometheus::Family<prometheus::Counter>& web_requests_;
  prometheus::Family<prometheus::Counter>& limited_;
};

}  // namespace arxiv_digest::api
