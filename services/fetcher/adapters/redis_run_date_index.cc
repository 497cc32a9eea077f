#include "services/fetcher/adapters/redis_run_date_index.h"

#include "absl/strings/str_cat.h"
#include "lib/config/profiles.h"
#include "lib/contract/digest_meta.h"
#include "lib/redis/keys.h"

namespace arxiv_digest {
namespace {

// Members of a date-scored sorted set in [from, until]; members that are
// not dates (nothing else writes these keys, but Redis is outside input)
// are skipped.
absl::Status AddDatesInRange(RedisClient& redis, const std::string& key,
                             const Date& from, const Date& until,
                             std::set<std::string>& out) {
  absl::StatusOr<RedisReply> reply =
      redis.Command({"ZRANGEBYSCORE", key,
                     absl::StrCat(contract::DigestIndexScore(from.str())),
                     absl::StrCat(contract::DigestIndexScore(until.str())),
                     "LIMIT", "0", "1000"});
  if (!reply.ok()) return reply.status();
  if (reply->type != RedisReply::Type::kArray) {
    return absl::InternalError(
        absl::StrCat("ZRANGEBYSCORE ", key, ": unexpected reply type"));
  }
  for (const RedisReply& element : reply->elements) {
    if (element.type == RedisReply::Type::kString &&
        ids::IsValidDate(element.str)) {
      out.insert(element.str);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::set<std::string>> RedisRunDateIndex::KnownDates(
    const Date& from, const Date& until) {
  std::set<std::string> dates;
  if (absl::Status s =
          AddDatesInRange(redis_, keys::FetchedDates(), from, until, dates);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = AddDatesInRange(
          redis_, keys::DigestIndex(kDefaultProfile), from, until, dates);
      !s.ok()) {
    return s;
  }
  return dates;
}

absl::Status RedisRunDateIndex::RecordRunDate(const Date& date) {
  std::string key = keys::FetchedDates();
  absl::StatusOr<RedisReply> added = redis_.Command(
      {"ZADD", key, absl::StrCat(contract::DigestIndexScore(date.str())),
       date.str()});
  if (!added.ok()) return added.status();
  Date oldest = Date::FromCivilDay(date.day() - retention_days_);
  absl::StatusOr<RedisReply> pruned = redis_.Command(
      {"ZREMRANGEBYSCORE", key, "-inf",
       absl::StrCat("(", contract::DigestIndexScore(oldest.str()))});
  return pruned.ok() ? absl::OkStatus() : pruned.status();
}

}  // namespace arxiv_digest
