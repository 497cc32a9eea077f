// The two servers every end-to-end fixture starts before its services: a
// redis-server and the feed server over a sample day's folder.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tests/support/feed_server.h"
#include "tests/support/redis_server.h"

namespace arxiv_digest::testing {

struct RedisAndFeeds {
  std::unique_ptr<RedisServer> redis;
  std::unique_ptr<FeedServer> feeds;
};

// Fails with the server's own error, naming which one did not start.
absl::StatusOr<RedisAndFeeds> StartRedisAndFeeds(
    const std::string& feeds_dir, RedisServerOptions redis_options = {});

}  // namespace arxiv_digest::testing
