#include "lib/http_transport/server_limits.h"

#include "lib/http_transport/elastic_task_queue.h"

namespace arxiv_digest {

void ApplyServerLimits(httplib::Server& server, const ServerLimits& limits) {
  server.new_task_queue = [limits] {
    return new ElasticTaskQueue(limits.core_threads, limits.max_threads);
  };
  server.set_read_timeout(limits.read_timeout_seconds, 0);
  server.set_write_timeout(limits.write_timeout_seconds, 0);
  server.set_keep_alive_max_count(limits.keep_alive_max_count);
  server.set_keep_alive_timeout(limits.keep_alive_timeout_seconds);
  server.set_payload_max_length(limits.max_body_bytes);
}

}  // namespace arxiv_digest
