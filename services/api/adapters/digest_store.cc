#include "services/api/adapters/digest_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "lib/contract/digest_meta.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"
#include "lib/redis/stored_text.h"
#include "services/api/logic/validation.h"

namespace arxiv_digest::api {

absl::StatusOr<std::vector<std::string>> DigestStore::ProfilesWithDigests() {
  absl::StatusOr<RedisReply> r = redis_.Command({"SMEMBERS", keys::Profiles()});
  if (!r.ok()) return r.status();
  std::vector<std::string> out;
  for (const RedisReply& e : r->elements) out.push_back(e.str);
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<std::vector<VersionMeta>> DigestStore::Versions(
    const std::string& profile, const std::string& date) {
  absl::StatusOr<std::map<std::string, std::string>> meta =
      redis_.HGetAll(keys::DigestMeta(profile, date));
  if (!meta.ok()) return meta.status();
  std::vector<VersionMeta> out;
  for (const auto& [field, json] : *meta) {
    if (!contract::VersionOfMetaField(field)) continue;  // not a version
    VersionMeta v;
    absl::StatusOr<contract::DigestVersionMeta> decoded =
        contract::DecodeDigestMeta(field, json);
    if (decoded.ok()) {
      v.version = decoded->version;
      v.run_id = decoded->run_id;
      v.relevant_papers = static_cast<int>(decoded->relevant_papers);
      v.published_at = decoded->published_at;
    } else {
      // The digest text itself is still readable: list the version with
      // what is known, and say why the rest is missing.
      v.version = *contract::VersionOfMetaField(field);
      LogWarning("unreadable digest version record",
                 {{"profile", profile},
                  {"date", date},
                  {"field", field},
                  {"error", std::string(decoded.status().message())}});
    }
    out.push_back(std::move(v));
  }
  std::sort(out.begin(), out.end(),
            [](const VersionMeta& a, const VersionMeta& b) {
              return a.version < b.version;
            });
  if (out.empty()) {
    absl::StatusOr<RedisReply> legacy =
        redis_.Command({"EXISTS", keys::Digest(profile, date, "md"),
                        keys::Digest(profile, date, "html")});
    if (!legacy.ok()) return legacy.status();
    if (legacy->integer > 0) out.push_back(VersionMeta{1, "", 0, ""});
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> DigestStore::Dates(
    const std::string& profile, const std::string& from, const std::string& to,
    int limit) {
  std::string max =
      to.empty() ? "+inf" : std::to_string(contract::DigestIndexScore(to));
  std::string min =
      from.empty() ? "-inf" : std::to_string(contract::DigestIndexScore(from));
  std::vector<std::string> args = {"ZREVRANGEBYSCORE",
                                   keys::DigestIndex(profile), max, min};
  if (limit > 0) {
    args.insert(args.end(), {"LIMIT", "0", std::to_string(limit)});
  }
  absl::StatusOr<RedisReply> r = redis_.Command(args);
  if (!r.ok()) return r.status();
  std::vector<std::string> out;
  for (const RedisReply& e : r->elements) out.push_back(e.str);
  return out;
}

absl::StatusOr<std::optional<std::string>> DigestStore::Text(
    const std::string& profile, const std::string& date, int version,
    bool is_latest, const std::string& ext) {
  absl::StatusOr<std::optional<std::string>> text =
      redis_.Get(keys::DigestVersion(profile, date, version, ext));
  if (text.ok() && !text->has_value() && is_latest) {
    // Written before versioning, or by a publisher that still kept an
    // unversioned latest copy.
    text = redis_.Get(keys::Digest(profile, date, ext));
  }
  if (!text.ok() || !text->has_value()) return text;
  absl::StatusOr<std::string> unpacked = UnpackStoredText(**text);
  if (!unpacked.ok()) {
    LogWarning("unreadable stored digest",
               {{"profile", profile},
                {"date", date},
                {"version", std::to_string(version)},
                {"format", ext},
                {"error", std::string(unpacked.status().message())}});
    return absl::Status(
        unpacked.status().code(),
        absl::StrCat("the stored ", date, " digest v", version, " (", ext,
                     ") of profile '", profile,
                     "' is unreadable: ", unpacked.status().message()));
  }
  return std::optional<std::string>(*std::move(unpacked));
}

}  // namespace arxiv_digest::api
