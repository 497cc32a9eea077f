#include "services/publisher/adapters/retention_sweeper.h"

#include <algorithm>
#include <string>
#include <vector>

#include "lib/core/shutdown.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"

namespace arxiv_digest {

RetentionOptions RetentionFromDays(int run_days, int digest_days, int seen_days,
                                   std::chrono::seconds day) {
  RetentionOptions o;
  o.run_ttl = std::max<int64_t>(1, run_days) * day;
  o.digest_ttl = std::max<int64_t>(1, digest_days) * day;
  o.seen_ttl = std::max<int64_t>(1, seen_days) * day;
  return o;
}

absl::StatusOr<RetentionOptions> RetentionFromFlags(const Config& config,
                                                    const ParsedFlags& flags) {
  int values[2] = {300, 86400};
  const char* names[2] = {"--retention-interval-seconds",
                          "--retention-day-seconds"};
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<int> v = flags.GetInt(names[i], values[i]);
    if (!v.ok()) return v.status();
    if (*v < 1) {
      return absl::InvalidArgumentError(
          std::string(names[i]) + ": must be a positive number of seconds");
    }
    values[i] = *v;
  }
  RetentionOptions o = RetentionFromDays(
      config.retention.run_days, config.retention.digest_days,
      config.fetcher.seen_ttl_days, std::chrono::seconds(values[1]));
  o.interval = std::chrono::seconds(values[0]);
  return o;
}

RetentionSweeper::RetentionSweeper(RedisClient& redis, RetentionOptions options,
                                   prometheus::Registry& registry, Clock& clock)
    : redis_(redis),
      options_(options),
      clock_(clock),
      trimmer_(redis,
               StreamTrimmer::DefaultPolicies(
                   std::chrono::duration_cast<std::chrono::milliseconds>(
                       options.run_ttl),
                   options.dead_letter_max_len),
               clock),
      trimmed_(prometheus::BuildCounter()
                   .Name("arxiv_publisher_stream_trimmed_entries_total")
                   .Help("Stream entries removed by retention, by stream")
                   .Register(registry)),
      errors_(prometheus::BuildCounter()
                  .Name("arxiv_publisher_retention_errors_total")
                  .Help("Retention passes that stopped on a Redis error")
                  .Register(registry)
                  .Add({})) {}

absl::Status RetentionSweeper::SweepOnce() {
  absl::StatusOr<std::vector<StreamTrimResult>> trimmed = trimmer_.TrimOnce();
  if (!trimmed.ok()) return trimmed.status();
  for (const StreamTrimResult& t : *trimmed) {
    trimmed_.Add({{"stream", t.stream}})
        .Increment(static_cast<double>(t.trimmed));
  }
  if (absl::Status s = CapTtl(keys::RunPattern(), options_.run_ttl); !s.ok()) {
    return s;
  }
  if (absl::Status s = CapTtl(keys::SeenPattern(), options_.seen_ttl);
      !s.ok()) {
    return s;
  }
  for (const std::string& pattern :
       {keys::DigestPattern(), keys::DigestMetaPattern()}) {
    if (absl::Status s = CapTtl(pattern, options_.digest_ttl); !s.ok()) {
      return s;
    }
  }
  return PruneDigestIndexes();
}

absl::Status RetentionSweeper::CapTtl(const std::string& pattern,
                                      std::chrono::seconds ttl) {
  const std::string seconds = std::to_string(std::max<int64_t>(1, ttl.count()));
  std::string cursor = "0";
  do {
    absl::StatusOr<RedisReply> page =
        redis_.Command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    if (!page.ok()) return page.status();
    if (page->elements.size() != 2) {
      return absl::InternalError("SCAN: unexpected reply");
    }
    cursor = page->elements[0].str;
    for (const RedisReply& key : page->elements[1].elements) {
      // LT: only lowers a TTL; a key without one counts as infinite.
      if (absl::Status s =
              redis_.Command({"EXPIRE", key.str, seconds, "LT"}).status();
          !s.ok()) {
        return s;
      }
    }
  } while (cursor != "0");
  return absl::OkStatus();
}

absl::Status RetentionSweeper::PruneDigestIndexes() {
  absl::StatusOr<RedisReply> profiles =
      redis_.Command({"SMEMBERS", keys::Profiles()});
  if (!profiles.ok()) return profiles.status();
  for (const RedisReply& profile : profiles->elements) {
    const std::string index = keys::DigestIndex(profile.str);
    absl::StatusOr<RedisReply> dates =
        redis_.Command({"ZRANGE", index, "0", "-1"});
    if (!dates.ok()) return dates.status();
    for (const RedisReply& date : dates->elements) {
      absl::StatusOr<RedisReply> exists =
          redis_.Command({"EXISTS", keys::DigestMeta(profile.str, date.str)});
      if (!exists.ok()) return exists.status();
      if (exists->integer != 0) continue;
      if (absl::Status s = redis_.Command({"ZREM", index, date.str}).status();
          !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

void RetentionSweeper::Run() {
  while (!ShutdownRequested()) {
    if (absl::Status s = SweepOnce(); !s.ok()) {
      errors_.Increment();
      LogWarning("retention pass failed",
                 {{"error", std::string(s.message())}});
    }
    clock_.SleepFor(options_.interval);
  }
}

}  // namespace arxiv_digest

namespace arxiv_digest {

absl::StatusOr<std::unique_ptr<RetentionThread>> RetentionThread::Start(
    absl::StatusOr<std::unique_ptr<RedisClient>> redis,
    RetentionOptions options, prometheus::Registry& registry) {
  if (!redis.ok()) return redis.status();
  std::unique_ptr<RetentionThread> t(new RetentionThread());
  t->redis_ = *std::move(redis);
  t->sweeper_ =
      std::make_unique<RetentionSweeper>(*t->redis_, options, registry);
  t->thread_ = std::thread([s = t->sweeper_.get()] { s->Run(); });
  return t;
}

RetentionThread::~RetentionThread() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace arxiv_digest
