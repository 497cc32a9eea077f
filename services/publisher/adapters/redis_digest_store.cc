#include "services/publisher/adapters/redis_digest_store.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "lib/contract/digest_meta.h"
#include "lib/core/ids.h"
#include "lib/json/json_util.h"
#include "lib/redis/keys.h"
#include "lib/redis/stored_text.h"
#include "services/publisher/adapters/atomic_file.h"

namespace arxiv_digest {
namespace {

// A publisher that dies holding the lock delays the date by at most this.
constexpr std::chrono::minutes kVersionLockTtl{2};

// A digest file name stays inside the output folder: relative, no "..".
// PublishRun validates profile and date already; this is the last line.
absl::Status CheckInsideOutput(const std::string& file_name) {
  std::filesystem::path p = std::filesystem::path(file_name).lexically_normal();
  if (file_name.empty() || p.is_absolute() || p.has_root_name() ||
      (!p.empty() && *p.begin() == "..")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "digest file name '", file_name, "' would leave the output folder"));
  }
  return absl::OkStatus();
}

}  // namespace

RedisDigestStore::RedisDigestStore(RedisClient& redis, std::string output_path,
                                   Clock& clock, int digest_days)
    : redis_(redis),
      output_dir_(std::move(output_path)),
      clock_(clock),
      digest_days_(std::max(1, digest_days)) {
  if (!output_dir_.empty() && output_dir_.back() != '/') output_dir_ += '/';
}

absl::StatusOr<bool> RedisDigestStore::TryLockVersions(
    const std::string& profile, const std::string& date,
    const std::string& owner) {
  return redis_.SetIfAbsent(keys::DigestMetaLock(profile, date), owner,
                            kVersionLockTtl);
}

void RedisDigestStore::ReleaseVersions(const std::string& profile,
                                       const std::string& date) {
  redis_.Del(keys::DigestMetaLock(profile, date)).IgnoreError();
}

absl::StatusOr<int> RedisDigestStore::NextVersion(const std::string& profile,
                                                  const std::string& date) {
  absl::StatusOr<int64_t> versions =
      redis_.HLen(keys::DigestMeta(profile, date));
  if (!versions.ok()) return versions.status();
  return static_cast<int>(*versions) + 1;
}

absl::StatusOr<bool> RedisDigestStore::IsNewestDate(const std::string& profile,
                                                    const std::string& date) {
  // A backfilled older day must not replace the latest copy of a newer one.
  absl::StatusOr<RedisReply> newest =
      redis_.Command({"ZREVRANGE", keys::DigestIndex(profile), "0", "0"});
  if (!newest.ok()) return newest.status();
  if (newest->type != RedisReply::Type::kArray || newest->elements.empty()) {
    return true;
  }
  return date >= newest->elements.front().str;  // YYYY-MM-DD sorts as text
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
RedisDigestStore::Store(const AssembledDigest& assembled) {
  const PublishedDigest& d = assembled.digest;
  std::vector<std::pair<std::string, std::string>> paths;
  const std::string ttl = std::to_string(int64_t{digest_days_} * 86400);
  for (const DigestOutput& o : assembled.outputs) {
    if (o.write_file) {
      if (absl::Status s = CheckInsideOutput(o.file_name); !s.ok()) return s;
      std::string path = output_dir_ + o.file_name;
      if (absl::Status s = WriteFileAtomically(path, o.text); !s.ok()) {
        return s;
      }
      paths.emplace_back(o.path_field, path);
      if (!o.latest_copy.empty()) {
        absl::StatusOr<bool> newest = IsNewestDate(d.profile, d.date);
        if (!newest.ok()) return newest.status();
        if (*newest) {
          if (absl::Status s = CheckInsideOutput(o.latest_copy); !s.ok()) {
            return s;
          }
          if (absl::Status s =
                  WriteFileAtomically(output_dir_ + o.latest_copy, o.text);
              !s.ok()) {
            return s;
          }
        }
      }
    }
    // Redis keeps every format regardless, for the API and the web page:
    // one gzip copy per version. The api finds the latest version through
    // the version records, so no unversioned copy is written (it doubled
    // the digest share of Redis memory).
    if (absl::Status s = redis_
                             .Command({"SET",
                                       keys::DigestVersion(d.profile, d.date,
                                                           d.version, o.format),
                                       PackStoredText(o.text), "EX", ttl})
                             .status();
        !s.ok()) {
      return s;
    }
  }
  contract::DigestVersionMeta meta;
  meta.version = d.version;
  meta.run_id = d.run_id;
  meta.relevant_papers = assembled.relevant_papers;
  meta.published_at =
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromChrono(clock_.Now()),
                       absl::UTCTimeZone());
  if (absl::Status s = redis_.HSet(keys::DigestMeta(d.profile, d.date),
                                   {{contract::DigestMetaField(d.version),
                                     contract::EncodeDigestMeta(meta)}});
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          redis_.Command({"EXPIRE", keys::DigestMeta(d.profile, d.date), ttl})
              .status();
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          redis_
              .Command({"ZADD", keys::DigestIndex(d.profile),
                        std::to_string(contract::DigestIndexScore(d.date)),
                        d.date})
              .status();
      !s.ok()) {
    return s;
  }
  // Dates past retention leave the index (their keys expire by TTL).
  if (absl::StatusOr<Date> date = Date::Parse(d.date); date.ok()) {
    const Date oldest = Date::FromCivilDay(date->day() - digest_days_);
    if (absl::Status s =
            redis_
                .Command({"ZREMRANGEBYSCORE", keys::DigestIndex(d.profile),
                          "-inf",
                          absl::StrCat(
                              "(", contract::DigestIndexScore(oldest.str()))})
                .status();
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s =
          redis_.Command({"SADD", keys::Profiles(), d.profile}).status();
      !s.ok()) {
    return s;
  }
  return paths;
}

}  // namespace arxiv_digest
