#include "tests/support/redis_and_feeds.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace arxiv_digest::testing {

absl::StatusOr<RedisAndFeeds> StartRedisAndFeeds(
    const std::string& feeds_dir, RedisServerOptions redis_options) {
  RedisAndFeeds servers;
  auto redis = RedisServer::Start(std::move(redis_options));
  if (!redis.ok()) {
    return absl::Status(
        redis.status().code(),
        absl::StrCat("redis-server: ", redis.status().message()));
  }
  servers.redis = std::move(*redis);
  auto feeds = FeedServer::Start(feeds_dir);
  if (!feeds.ok()) {
    return absl::Status(
        feeds.status().code(),
        absl::StrCat("feed server: ", feeds.status().message()));
  }
  servers.feeds = std::move(*feeds);
  return servers;
}

}  // namespace arxiv_digest::testing
