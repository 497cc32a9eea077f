#include "lib/contract/digest_meta.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "lib/contract/stream_entries.h"
#include "lib/core/ids.h"
#include "lib/json/json_util.h"

namespace arxiv_digest::contract {
namespace {

constexpr char kRunId[] = "run_id";
constexpr char kVersion[] = "version";
constexpr char kRelevantPapers[] = "relevant_papers";
constexpr char kPublishedAt[] = "published_at";

std::string Rfc3339(int64_t epoch_seconds) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                          absl::FromUnixSeconds(epoch_seconds),
                          absl::UTCTimeZone());
}

}  // namespace

std::string DigestMetaField(int version) { return absl::StrCat("v", version); }

std::optional<int> VersionOfMetaField(std::string_view field) {
  int version = 0;
  if (field.size() < 2 || field.size() > 8 || field[0] != 'v' ||
      !absl::SimpleAtoi(std::string(field.substr(1)), &version) ||
      version <= 0) {
    return std::nullopt;
  }
  return version;
}

int64_t DigestIndexScore(std::string_view date) {
  absl::StatusOr<Date> d = Date::Parse(date);
  if (!d.ok()) return 0;
  return d->day().year() * int64_t{10000} + int64_t{d->day().month()} * 100 +
         d->day().day();
}

std::string EncodeDigestMeta(const DigestVersionMeta& meta) {
  return absl::StrCat("{\"", kRunId, "\":", JsonQuote(meta.run_id), ",\"",
                      kVersion, "\":", meta.version, ",\"", kRelevantPapers,
                      "\":", meta.relevant_papers, ",\"", kPublishedAt,
                      "\":", JsonQuote(meta.published_at), "}");
}

absl::StatusOr<DigestVersionMeta> DecodeDigestMeta(std::string_view field,
                                                   std::string_view json) {
  std::optional<int> version = VersionOfMetaField(field);
  if (!version) {
    return absl::InvalidArgumentError(
        absl::StrCat("digest meta field '", std::string(field.substr(0, 20)),
                     "' is not v<n>"));
  }
  if (absl::Status s = CheckJsonBounds("digest meta", json, kMaxSmallJsonBytes);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<rapidjson::Document> doc = ParseJson(json);
  if (!doc.ok()) return doc.status();
  if (!doc->IsObject()) {
    return absl::InvalidArgumentError("digest meta: not a JSON object");
  }
  DigestVersionMeta meta;
  meta.version = *version;
  std::optional<std::string> run_id = GetString(*doc, kRunId);
  if (!run_id) {
    return absl::InvalidArgumentError(
        absl::StrCat("digest meta: ", kRunId, ": missing"));
  }
  absl::StatusOr<RunId> parsed_run = RunId::Parse(*run_id, kRunId);
  if (!parsed_run.ok()) return parsed_run.status();
  meta.run_id = parsed_run->str();
  std::optional<int64_t> relevant = GetInt(*doc, kRelevantPapers);
  if (!relevant || *relevant < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "digest meta: ", kRelevantPapers, ": not a non-negative integer"));
  }
  meta.relevant_papers = *relevant;
  if (std::optional<std::string> at = GetString(*doc, kPublishedAt)) {
    absl::Time parsed;
    std::string error;
    if (!at->empty() &&
        !absl::ParseTime(absl::RFC3339_full, *at, &parsed, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat("digest meta: ", kPublishedAt, ": '", at->substr(0, 40),
                       "' is not RFC 3339"));
    }
    meta.published_at = *at;
  } else if (std::optional<int64_t> seconds = GetInt(*doc, kPublishedAt);
             seconds && *seconds >= 0) {
    meta.published_at = Rfc3339(*seconds);
  }
  return meta;
}

}  // namespace arxiv_digest::contract
