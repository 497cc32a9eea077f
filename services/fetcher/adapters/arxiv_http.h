// The HTTP stack the fetcher uses towards arXiv, built from [fetcher] of
// config.ini: the transport (timeouts, User-Agent), the request gate shared
// by every replica through Redis, and PoliteHttpClient's retries, all
// counted into the fetcher's metrics.
#pragma once

#include "lib/config/config.h"
#include "lib/core/clock.h"
#include "lib/http/http_client.h"
#include "lib/http_transport/httplib_client.h"
#include "lib/redis/redis_client.h"
#include "services/fetcher/adapters/fetcher_metrics.h"
#include "services/fetcher/adapters/polite_http_client.h"
#include "services/fetcher/adapters/request_gate.h"

namespace arxiv_digest {

class ArxivHttp {
 public:
  // `redis`, `clock` and `metrics` must outlive this object.
  ArxivHttp(const FetcherConfig& config, RedisClient& redis, Clock& clock,
            FetcherMetrics& metrics);
  ArxivHttp(const ArxivHttp&) = delete;
  ArxivHttp& operator=(const ArxivHttp&) = delete;

  HttpClient& client() { return polite_; }

 private:
  HttplibClient transport_;
  RedisRequestGate gate_;
  PoliteHttpClient polite_;
};

}  // namespace arxiv_digest
