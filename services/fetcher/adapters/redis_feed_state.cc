#include "services/fetcher/adapters/redis_feed_state.h"

#include "lib/redis/keys.h"

namespace arxiv_digest {

absl::StatusOr<std::optional<std::string>> RedisFeedDateStore::LastFeedDate(
    const std::string& category) {
  return redis_.Get(keys::LastFeedDate(category));
}

absl::Status RedisFeedDateStore::SetLastFeedDate(const std::string& category,
                                                 const std::string& date) {
  return redis_.Set(keys::LastFeedDate(category), date);
}

absl::StatusOr<HttpValidators> RedisValidatorStore::Get(
    const std::string& url) {
  absl::StatusOr<std::map<std::string, std::string>> fields =
      redis_.HGetAll(keys::HttpCache(url));
  if (!fields.ok()) return fields.status();
  HttpValidators v;
  if (auto it = fields->find("etag"); it != fields->end()) v.etag = it->second;
  if (auto it = fields->find("last_modified"); it != fields->end()) {
    v.last_modified = it->second;
  }
  return v;
}

absl::Status RedisValidatorStore::Put(const std::string& url,
                                      const HttpValidators& v) {
  std::string key = keys::HttpCache(url);
  // Replace, not merge: a response without an ETag must not leave the
  // previous one behind.
  if (absl::Status s = redis_.Del(key); !s.ok()) return s;
  if (v.etag.empty() && v.last_modified.empty()) return absl::OkStatus();
  return redis_.HSet(key,
                     {{"etag", v.etag}, {"last_modified", v.last_modified}});
}

}  // namespace arxiv_digest
