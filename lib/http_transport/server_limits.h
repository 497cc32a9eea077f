// Limits every HTTP server of the project applies (the api's web site and
// every admin port), so slow or greedy clients cannot starve /healthz,
// /metrics or the reader pages: an elastic worker pool (elastic_task_queue.h)
// instead of cpp-httplib's fixed one, per-read/write timeouts, a bounded
// keep-alive, and a request body cap (no endpoint takes large bodies).
#pragma once

#include <httplib.h>

#include <cstddef>
#include <ctime>

namespace arxiv_digest {

struct ServerLimits {
  size_t core_threads = 8;   // workers kept ready
  size_t max_threads = 128;  // one per slow client at most; then queued
  time_t read_timeout_seconds = 5;
  time_t write_timeout_seconds = 5;
  size_t keep_alive_max_count = 20;  // requests per connection
  time_t keep_alive_timeout_seconds = 2;
  size_t max_body_bytes = size_t{64} * 1024;
};

void ApplyServerLimits(httplib::Server& server,
                       const ServerLimits& limits = {});

}  // namespace arxiv_digest
