#include "lib/redis/redis_run_writer.h"

#include <algorithm>
#include <chrono>

#include "lib/contract/run_manifest.h"
#include "lib/contract/stream_entries.h"
#include "lib/json/json_util.h"
#include "lib/redis/keys.h"

namespace arxiv_digest::contract {
namespace {

std::string EpochSeconds(Clock& clock) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            clock.Now().time_since_epoch())
                            .count());
}

bool IsDerived(const RunManifest& m) { return !m.kind.empty(); }

constexpr std::string_view kStatusOnly[] = {manifest_field::kStatus};
// A derived run that ends with a reason.
constexpr std::string_view kStatusAndReason[] = {manifest_field::kStatus,
                                                 manifest_field::kReason};

}  // namespace

RedisRunWriter::RedisRunWriter(RedisClient& redis, Clock& clock)
    : RedisRunWriter(redis, clock, kDefaultRunTtl) {}

RedisRunWriter::RedisRunWriter(RedisClient& redis, Clock& clock,
                               std::chrono::seconds run_ttl)
    : redis_(redis),
      clock_(clock),
      run_ttl_(std::max(run_ttl, std::chrono::seconds(1))) {}

absl::Status RedisRunWriter::Expire(const std::string& key) {
  return redis_.Command({"EXPIRE", key, std::to_string(run_ttl_.count())})
      .status();
}

absl::Status RedisRunWriter::BeginRun(const RunManifest& manifest) {
  absl::StatusOr<RunId> id = RunId::Parse(manifest.run_id);
  if (!id.ok()) return id.status();
  absl::Status s;
  if (IsDerived(manifest)) {
    s = redis_.HSet(keys::Run(id->str()), EncodeDerivedRun(manifest));
  } else {
    FieldValues fields = EncodeManifest(manifest, kFetchFields);
    fields.emplace_back(std::string(manifest_field::kCreatedAt),
                        EpochSeconds(clock_));
    s = redis_.HSet(keys::Run(id->str()), fields);
  }
  if (!s.ok()) return s;
  return Expire(keys::Run(id->str()));
}

absl::Status RedisRunWriter::AppendPaper(const std::string& run_id,
                                         const Paper& paper) {
  absl::StatusOr<RunId> id = RunId::Parse(run_id);
  if (!id.ok()) return id.status();
  StreamFields entry = EncodePaperEntry(PaperEntry{*id, paper});
  const std::string& json = entry.back().second;
  // The hash is what the publisher renders from; the stream is the work
  // queue of the scorers. Both writes are idempotent per (run, paper) for
  // readers: the hash field is overwritten, scores are keyed the same way.
  if (absl::Status s =
          redis_.HSet(keys::RunPapers(id->str()), {{paper.arxiv_id, json}});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = Expire(keys::RunPapers(id->str())); !s.ok()) return s;
  return redis_.XAdd(keys::PapersStream(), entry).status();
}

absl::Status RedisRunWriter::AppendPapers(const std::string& run_id,
                                          const std::vector<Paper>& papers) {
  absl::StatusOr<RunId> id = RunId::Parse(run_id);
  if (!id.ok()) return id.status();
  if (papers.empty()) return absl::OkStatus();
  std::vector<StreamFields> entries;
  entries.reserve(papers.size());
  FieldValues hash;
  hash.reserve(papers.size());
  for (const Paper& p : papers) {
    entries.push_back(EncodePaperEntry(PaperEntry{*id, p}));
    hash.emplace_back(p.arxiv_id, entries.back().back().second);
  }
  // The whole papers hash first: a scorer may pick an entry up at once.
  if (absl::Status s = redis_.HSet(keys::RunPapers(id->str()), hash); !s.ok()) {
    return s;
  }
  if (absl::Status s = Expire(keys::RunPapers(id->str())); !s.ok()) return s;
  for (const StreamFields& entry : entries) {
    if (absl::Status s = redis_.XAdd(keys::PapersStream(), entry).status();
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status RedisRunWriter::FinishRun(const RunManifest& manifest) {
  absl::StatusOr<RunId> id = RunId::Parse(manifest.run_id);
  if (!id.ok()) return id.status();
  if (IsDerived(manifest)) {
    // Only the status (and a reason: an empty profile run, a catch-up's
    // summary): the rest was written by BeginRun and may since have been
    // extended by others.
    const bool with_reason = !manifest.reason.empty();
    if (absl::Status s =
            redis_.HSet(keys::Run(id->str()),
                        with_reason ? EncodeManifest(manifest, kStatusAndReason)
                                    : EncodeManifest(manifest, kStatusOnly));
        !s.ok()) {
      return s;
    }
  } else {
    FieldValues fields = EncodeManifest(manifest, kFetchFields);
    fields.emplace_back(std::string(manifest_field::kFetchedAt),
                        EpochSeconds(clock_));
    if (absl::Status s = redis_.HSet(keys::Run(id->str()), fields); !s.ok()) {
      return s;
    }
    if (absl::Status s = Expire(keys::Run(id->str())); !s.ok()) return s;
    // Derived runs never move the latest run: it names the latest fetch.
    if (absl::Status s = redis_.Set(keys::LatestRun(), id->str()); !s.ok()) {
      return s;
    }
  }
  return redis_
      .XAdd(keys::RunsStream(), EncodeRunEntry(RunEntry{*id, manifest.status}))
      .status();
}

absl::Status RedisRunWriter::RequestFetch(const RunManifest& manifest) {
  absl::StatusOr<RunId> id = RunId::Parse(manifest.run_id);
  if (!id.ok()) return id.status();
  TriggerEntry trigger{*id, manifest.categories, std::nullopt};
  trigger.missing_days = manifest.kind == run_kind::kCatchUp;
  if (!manifest.date.empty()) {
    absl::StatusOr<Date> date = Date::Parse(manifest.date);
    if (!date.ok()) return date.status();
    trigger.date = *date;
  }
  RunManifest requested = manifest;
  requested.status = run_status::kRequested;
  FieldValues fields = EncodeManifest(requested, kTriggerFields);
  if (trigger.missing_days) {
    fields.emplace_back(std::string(manifest_field::kKind),
                        std::string(run_kind::kCatchUp));
  }
  if (absl::Status s = redis_.HSet(keys::Run(id->str()), fields); !s.ok()) {
    return s;
  }
  if (absl::Status s = Expire(keys::Run(id->str())); !s.ok()) return s;
  // The manifest comes first: a fetcher that picks the trigger up at once
  // finds the run it is asked to fill.
  return redis_.XAdd(keys::TriggersStream(), EncodeTriggerEntry(trigger))
      .status();
}

absl::Status RedisRunWriter::FailRun(const std::string& run_id,
                                     const std::string& error) {
  absl::StatusOr<RunId> id = RunId::Parse(run_id);
  if (!id.ok()) return id.status();
  RunManifest failed;
  failed.status = run_status::kFailed;
  failed.error = error;
  if (absl::Status s = redis_.HSet(keys::Run(id->str()),
                                   EncodeManifest(failed, kFailedFields));
      !s.ok()) {
    return s;
  }
  return Expire(keys::Run(id->str()));
}

}  // namespace arxiv_digest::contract
