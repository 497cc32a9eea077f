// What the fetcher remembers about each feed between runs, in Redis:
// the channel date of the last recorded run (arxiv:last-feed-date:<entry>)
// and the conditional-GET validators of each URL (arxiv:http-cache:<url>).
#pragma once

#include <string>

#include "lib/redis/redis_client.h"
#include "services/fetcher/adapters/http_feed_source.h"
#include "services/fetcher/logic/fetch_ports.h"

namespace arxiv_digest {

class RedisFeedDateStore : public FeedDateStore {
 public:
  explicit RedisFeedDateStore(RedisClient& redis) : redis_(redis) {}
  absl::StatusOr<std::optional<std::string>> LastFeedDate(
      const std::string& category) override;
  absl::Status SetLastFeedDate(const std::string& category,
                               const std::string& date) override;

 private:
  RedisClient& redis_;
};

class RedisValidatorStore : public HttpValidatorStore {
 public:
  explicit RedisValidatorStore(RedisClient& redis) : redis_(redis) {}
  absl::StatusOr<HttpValidators> Get(const std::string& url) override;
  absl::Status Put(const std::string& url,
                   const HttpValidators& validators) override;

 private:
  RedisClient& redis_;
};

}  // namespace arxiv_digest
