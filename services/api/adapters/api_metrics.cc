#include "services/api/adapters/api_metrics.h"

namespace arxiv_digest::api {

ApiMetrics::ApiMetrics(std::shared_ptr<prometheus::Registry> registry)
    : rescore_jobs(prometheus::BuildCounter()
                       .Name("arxiv_api_rescore_jobs_total")
                       .Help("Rescore jobs (new runs) created")
                       .Register(*registry)
                       .Add({})),
      profile_runs(prometheus::BuildCounter()
                       .Name("arxiv_api_profile_runs_total")
                       .Help("Per-profile runs created from daily runs")
                       .Register(*registry)
                       .Add({})),
      triggers(prometheus::BuildCounter()
                   .Name("arxiv_api_triggers_total")
                   .Help("TriggerRun requests queued for the fetcher")
                   .Register(*registry)
                   .Add({})),
      active_watches(prometheus::BuildGauge()
                         .Name("arxiv_api_active_watches")
                         .Help("Open WatchJob streams")
                         .Register(*registry)
                         .Add({})),
      registry_(std::move(registry)),
      requests_(prometheus::BuildCounter()
                    .Name("arxiv_api_grpc_requests_total")
                    .Help("Finished gRPC calls by method and status code")
                    .Register(*registry_)),
      durations_(prometheus::BuildHistogram()
                     .Name("arxiv_api_grpc_request_duration_seconds")
                     .Help("gRPC call duration (streams: until finished)")
                     .Register(*registry_)),
      web_requests_(prometheus::BuildCounter()
                        .Name("arxiv_api_web_requests_total")
                        .Help("Web page requests by route and HTTP status")
                        .Register(*registry_)),
      limited_(prometheus::BuildCounter()
                   .Name("arxiv_api_limited_total")
                   .Help("Requests refused by an abuse limit, by limit")
                   .Register(*registry_)) {}

void ApiMetrics::RecordRpc(const std::string& method, const std::string& code,
                           double seconds) {
  requests_.Add({{"method", method}, {"code", code}}).Increment();
  durations_
      .Add({{"method", method}},
           prometheus::Histogram::BucketBoundaries{0.001, 0.005, 0.01, 0.05,
                                                   0.1, 0.5, 1, 5, 30, 300})
      .Observe(seconds);
}

void ApiMetrics::RecordWeb(const std::string& route, int status) {
  web_requests_.Add({{"route", route}, {"code", std::to_string(status)}})
      .Increment();
}

void ApiMetrics::RecordLimited(const char* limit) {
  limited_.Add({{"limit", limit}}).Increment();
}

}  // namespace arxiv_digest::api
