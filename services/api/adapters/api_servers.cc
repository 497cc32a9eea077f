#include "services/api/adapters/api_servers.h"

#include <chrono>
#include <functional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/api/adapters/profile_fanout.h"

namespace arxiv_digest::api {
namespace {

DigestApiOptions ApiOptions(const ApiFlags& flags,
                            const RetentionConfig& retention) {
  DigestApiOptions options;
  options.run_ttl = std::chrono::hours(24) * retention.run_days;
  options.rescore_burst = flags.rescore_burst;
  options.rescore_period = std::chrono::seconds(flags.rescore_period_seconds);
  options.max_ids = flags.rescore_max_ids;
  options.max_range_days = flags.rescore_max_days;
  AbuseLimits& abuse = options.abuse;
  abuse.trigger_burst = flags.trigger_burst;
  abuse.trigger_interval = std::chrono::seconds(flags.trigger_interval_seconds);
  abuse.dry_run_burst = flags.dry_run_burst;
  abuse.dry_run_interval = std::chrono::seconds(flags.dry_run_interval_seconds);
  abuse.max_papers_per_request = flags.rescore_max_papers;
  abuse.max_tokens_per_request = flags.rescore_max_tokens;
  abuse.papers_per_day = flags.rescore_papers_per_day;
  abuse.tokens_per_day = flags.rescore_tokens_per_day;
  abuse.max_concurrent_rescores = flags.max_concurrent_rescores;
  return options;
}

WatchLimits WatchLimitsOf(const ApiFlags& flags) {
  WatchLimits limits;
  limits.per_client = flags.watch_per_client;
  limits.total = flags.watch_total;
  limits.max_lifetime = std::chrono::seconds(flags.watch_max_seconds);
  return limits;
}

WebServerOptions WebOptions(const ApiFlags& flags) {
  WebServerOptions options;
  options.host = flags.web_host;
  options.port = flags.web_port;
  options.base_url = flags.web_base_url;
  return options;
}

}  // namespace

ApiServers::ApiServers(RedisPool& pool, const ProfileCatalog& profiles,
                       ApiMetrics& metrics, const TokenTable& tokens,
                       const ApiFlags& flags, const RetentionConfig& retention,
                       Clock& clock)
    : flags_(flags),
      profiles_(profiles),
      metrics_(metrics),
      clock_(clock),
      random_(RealRunIdRandom()),
      api_(pool, profiles, metrics, clock, random_,
           ApiOptions(flags, retention)),
      service_(api_, &tokens, metrics, scheduler_,
               std::chrono::milliseconds(500), WatchLimitsOf(flags)),
      web_(pool, profiles, metrics, WebOptions(flags)) {}

absl::Status ApiServers::Start() {
  GrpcServerOptions options;
  options.address = absl::StrCat(flags_.grpc_host, ":", flags_.grpc_port);
  options.tls_cert_file = flags_.tls_cert;
  options.tls_key_file = flags_.tls_key;
  options.max_receive_bytes = flags_.grpc_max_receive_bytes;
  options.max_send_bytes = flags_.grpc_max_send_bytes;
  absl::StatusOr<int> bound = grpc_.Start(service_, options);
  if (!bound.ok()) return bound.status();
  grpc_port_ = *bound;
  absl::StatusOr<int> web_bound = web_.Start();
  if (!web_bound.ok()) return web_bound.status();
  web_port_ = *web_bound;
  return absl::OkStatus();
}

void ApiServers::StartFanout(const std::string& redis_url,
                             std::function<bool()> stop) {
  ProfileFanoutOptions options;
  options.consumer = flags_.consumer;
  fanout_ = std::thread(
      RunProfileFanout, redis_url, [this] { return profiles_.List(); }, random_,
      std::ref(clock_), &metrics_, options, std::move(stop));
}

void ApiServers::Stop() {
  if (stopped_) return;
  stopped_ = true;
  scheduler_.Stop();
  grpc_.Shutdown(std::chrono::seconds(5));
  web_.Stop();
  if (fanout_.joinable()) fanout_.join();
}

}  // namespace arxiv_digest::api
