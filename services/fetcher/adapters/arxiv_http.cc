#include "services/fetcher/adapters/arxiv_http.h"

#include <algorithm>
#include <chrono>

#include "lib/redis/keys.h"

namespace arxiv_digest {
namespace {

HttpClientOptions TransportOptions(const FetcherConfig& config) {
  HttpClientOptions options;
  options.read_timeout = std::chrono::seconds(config.request_timeout_seconds);
  options.connect_timeout =
      std::chrono::seconds(std::min(10, config.request_timeout_seconds));
  options.user_agent = ArxivUserAgent(config.contact);
  // A whole day's feed of a large category is a few MB; the parser is
  // tested up to 50 MB. Bounded, but far above any real feed.
  options.max_reply_bytes = size_t{64} << 20;
  return options;
}

RedisRequestGate::Options GateOptions(const FetcherConfig& config) {
  RedisRequestGate::Options options;
  options.key = keys::RateLimit("arxiv.org");
  options.min_interval =
      std::chrono::milliseconds(config.min_request_interval_ms);
  // Held while a request runs; expires on its own if this process dies.
  options.hold = std::chrono::seconds(2 * config.request_timeout_seconds) +
                 options.min_interval;
  return options;
}

RetryPolicy Retries(const FetcherConfig& config) {
  RetryPolicy retry;  // lib defaults: 2 s backoff doubling to 60 s, 300 s
                      // Retry-After bound
  // [fetcher] max_retries counts the attempts after the first.
  retry.max_attempts = config.max_retries + 1;
  return retry;
}

}  // namespace

ArxivHttp::ArxivHttp(const FetcherConfig& config, RedisClient& redis,
                     Clock& clock, FetcherMetrics& metrics)
    : transport_(TransportOptions(config)),
      gate_(redis, clock, GateOptions(config),
            [&metrics](double seconds) {
              metrics.rate_limit_wait.Increment(seconds);
            }),
      polite_(transport_, &gate_, clock, Retries(config),
              HttpObserverFor(metrics)) {}

}  // namespace arxiv_digest
