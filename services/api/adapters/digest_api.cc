#include "services/api/adapters/digest_api.h"

#include <algorithm>
#include <mutex>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "lib/core/ids.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"
#include "lib/redis/rate_limiter.h"
#include "lib/redis/redis_run_writer.h"
#include "services/api/adapters/api_metrics.h"
#include "services/api/adapters/digest_store.h"
#include "services/api/adapters/proto_views.h"
#include "services/api/adapters/rescore_jobs.h"
#include "services/api/adapters/run_store.h"
#include "services/api/logic/digest_view.h"
#include "services/api/logic/request_validation.h"
#include "services/api/logic/rescore.h"
#include "services/api/logic/run_view.h"
#include "services/api/logic/trigger_run.h"

namespace arxiv_digest::api {
namespace {

std::string FormatUtc(Clock& clock, const char* format) {
  return absl::FormatTime(format, absl::FromChrono(clock.Now()),
                          absl::UTCTimeZone());
}
std::string Today(Clock& clock) { return FormatUtc(clock, "%Y-%m-%d"); }
std::string Rfc3339(Clock& clock) {
  return FormatUtc(clock, "%Y-%m-%dT%H:%M:%SZ");
}

}  // namespace

RunIdRandom RealRunIdRandom() {
  return [] {
    static std::mutex mu;
    static std::mt19937 gen{std::random_device{}()};
    std::lock_guard<std::mutex> lock(mu);
    return static_cast<uint32_t>(gen());
  };
}

DigestApi::DigestApi(RedisPool& pool, const ProfileCatalog& profiles,
                     ApiMetrics& metrics, Clock& clock, RunIdRandom random,
                     DigestApiOptions options)
    : pool_(pool),
      profiles_(profiles),
      metrics_(metrics),
      clock_(clock),
      random_(std::move(random)),
      options_(options) {}

absl::StatusOr<std::string> DigestApi::ResolveProfile(
    const std::string& profile, bool allow_redis_only) {
  absl::StatusOr<std::string> name = NormalizeProfileName(profile);
  if (!name.ok()) return name.status();
  std::vector<std::string> known = profiles_.List();
  if (std::find(known.begin(), known.end(), *name) != known.end()) return name;
  if (allow_redis_only) {
    // A profile whose folder was removed keeps its published digests.
    absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
    if (!redis.ok()) return redis.status();
    absl::StatusOr<std::vector<std::string>> with_digests =
        DigestStore(**redis).ProfilesWithDigests();
    if (!with_digests.ok()) return with_digests.status();
    if (std::find(with_digests->begin(), with_digests->end(), *name) !=
        with_digests->end()) {
      return name;
    }
  }
  return UnknownProfileError(*name, known);
}

absl::StatusOr<v1::TriggerRunResponse> DigestApi::TriggerRun(
    const ApiClient& client, const v1::TriggerRunRequest& req) {
  absl::StatusOr<TriggerRequest> trigger =
      ValidateTriggerRun(CategoriesOf(req), req.date(), Today(clock_));
  if (!trigger.ok()) return trigger.status();
  trigger->requested_at = Rfc3339(clock_);
  trigger->requested_by = client.name;
  RunId run_id = MakeRunId(trigger->date, run_id_tag::kTrigger, random_());
  absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
  if (!redis.ok()) return redis.status();
  if (absl::Status s = contract::RedisRunWriter(**redis, clock_)
                           .RequestFetch(TriggerManifest(run_id, *trigger));
      !s.ok()) {
    return s;
  }
  metrics_.triggers.Increment();
  LogInfo("run triggered",
          {{"run_id", run_id.str()},
           {"client", client.name},
           {"categories", absl::StrJoin(trigger->categories, ",")},
           {"date", trigger->date ? trigger->date->str() : ""}});
  v1::TriggerRunResponse resp;
  resp.set_run_id(run_id.str());
  return resp;
}

absl::StatusOr<v1::Run> DigestApi::GetRun(const v1::GetRunRequest& req) {
  if (absl::Status s = ValidateRunIdField("run_id", req.run_id()); !s.ok())
    return s;
  absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
  if (!redis.ok()) return redis.status();
  RunStore runs(**redis);
  absl::StatusOr<std::optional<RunManifest>> m = runs.Get(req.run_id());
  if (!m.ok()) return m.status();
  if (!m->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("run '", req.run_id(), "' does not exist"));
  }
  absl::StatusOr<int64_t> scored = runs.Scored(req.run_id());
  if (!scored.ok()) return scored.status();
  v1::Run run = RunOf(**m, *scored);
  if (run.run_id().empty()) run.set_run_id(req.run_id());
  return run;
}

absl::StatusOr<v1::JobProgress> DigestApi::Progress(const std::string& job_id) {
  if (absl::Status s = ValidateRunIdField("job_id", job_id); !s.ok()) return s;
  absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
  if (!redis.ok()) return redis.status();
  RunStore runs(**redis);
  absl::StatusOr<std::optional<RunManifest>> m = runs.Get(job_id);
  if (!m.ok()) return m.status();
  if (!m->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("job '", job_id, "' does not exist"));
  }
  absl::StatusOr<int64_t> scored = runs.Scored(job_id);
  if (!scored.ok()) return scored.status();
  return JobProgressOf(job_id, ProgressOf(**m, *scored));
}

absl::StatusOr<v1::RescoreResponse> DigestApi::Rescore(
    const ApiClient& client, const v1::RescoreRequest& req) {
  absl::StatusOr<RescoreTarget> target =
      ValidateRescore(RescoreArgsOf(req), Today(clock_), options_.limits());
  if (!target.ok()) return target.status();
  absl::StatusOr<std::string> profile = ResolveProfile(req.profile(), false);
  if (!profile.ok()) return profile.status();

  absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
  if (!redis.ok()) return redis.status();
  if (!req.dry_run() && options_.rescore_burst > 0) {
    RedisTokenBucket bucket(**redis, keys::ApiLimit(client.name),
                            options_.rescore_burst, options_.rescore_period);
    absl::StatusOr<std::chrono::milliseconds> wait = bucket.TryAcquire(1);
    if (!wait.ok()) return wait.status();
    if (wait->count() > 0) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "Rescore rate limit of client '", client.name, "' reached; retry in ",
          (wait->count() + 999) / 1000, " s"));
    }
  }
  RescoreOptions options =
      RescoreOptionsFor(*profile, req.topics_override(), req.dry_run(),
                        client.name, Rfc3339(clock_));
  absl::StatusOr<RescoreResult> result =
      RescoreJobs(**redis, clock_, random_).Create(*target, options);
  if (!result.ok()) return result.status();
  v1::RescoreResponse resp = RescoreResponseOf(*result, req.dry_run());
  if (!req.dry_run()) {
    metrics_.rescore_jobs.Increment(
        static_cast<double>(result->job_ids.size()));
    LogInfo("rescore queued", {{"client", client.name},
                               {"profile", *profile},
                               {"jobs", absl::StrJoin(result->job_ids, ",")},
                               {"papers", std::to_string(result->papers)},
                               {"topics_override",
                                req.topics_override().empty() ? "no" : "yes"}});
  }
  return resp;
}

absl::StatusOr<v1::Digest> DigestApi::GetDigest(
    const v1::GetDigestRequest& req) {
  absl::StatusOr<std::string> profile = ResolveProfile(req.profile(), true);
  if (!profile.ok()) return profile.status();
  if (absl::Status s = ValidateGetDigest(req.date(), req.version()); !s.ok()) {
    return s;
  }
  absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
  if (!redis.ok()) return redis.status();
  DigestStore store(**redis);
  std::string date = req.date();
  if (date.empty()) {
    absl::StatusOr<std::vector<std::string>> latest =
        store.Dates(*profile, "", "", 1);
    if (!latest.ok()) return latest.status();
    if (latest->empty()) {
      return absl::NotFoundError(
          absl::StrCat("profile '", *profile, "' has no digests yet"));
    }
    date = latest->front();
  }
  absl::StatusOr<std::vector<VersionMeta>> versions =
      store.Versions(*profile, date);
  if (!versions.ok()) return versions.status();
  absl::StatusOr<size_t> chosen =
      ChooseVersion(*versions, req.version(), *profile, date);
  if (!chosen.ok()) return chosen.status();
  const VersionMeta& version = (*versions)[*chosen];
  bool is_latest = *chosen + 1 == versions->size();
  const char* ext = FormatExt(req.format());
  absl::StatusOr<std::optional<std::string>> text =
      store.Text(*profile, date, version.version, is_latest, ext);
  if (!text.ok()) return text.status();
  if (!text->has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "the ", date, " digest v", version.version, " of profile '", *profile,
        "' has no ", ext, " rendering"));
  }
  return DigestOf(*profile, date, version, req.format(), **std::move(text));
}

absl::StatusOr<v1::ListDigestsResponse> DigestApi::ListDigests(
    const v1::ListDigestsRequest& req) {
  absl::StatusOr<std::string> profile = ResolveProfile(req.profile(), true);
  if (!profile.ok()) return profile.status();
  if (absl::Status s = ValidateListDigests(req.from_date(), req.to_date());
      !s.ok()) {
    return s;
  }
  absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
  if (!redis.ok()) return redis.status();
  DigestStore store(**redis);
  absl::StatusOr<std::vector<std::string>> dates =
      store.Dates(*profile, req.from_date(), req.to_date(), options_.max_list);
  if (!dates.ok()) return dates.status();
  v1::ListDigestsResponse resp;
  for (const std::string& date : *dates) {
    absl::StatusOr<std::vector<VersionMeta>> versions =
        store.Versions(*profile, date);
    if (!versions.ok()) return versions.status();
    if (versions->empty()) continue;
    *resp.add_digests() = SummaryOf(*profile, date, *versions);
  }
  return resp;
}

absl::StatusOr<v1::ListProfilesResponse> DigestApi::ListProfiles() {
  std::vector<std::string> names = profiles_.List();
  absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
  if (!redis.ok()) return redis.status();
  absl::StatusOr<std::vector<std::string>> with_digests =
      DigestStore(**redis).ProfilesWithDigests();
  if (!with_digests.ok()) return with_digests.status();
  for (const std::string& p : *with_digests) {
    if (std::find(names.begin(), names.end(), p) == names.end()) {
      names.push_back(p);
    }
  }
  std::sort(names.begin() + 1, names.end());
  v1::ListProfilesResponse resp;
  for (const std::string& n : names) resp.add_profiles(n);
  return resp;
}

}  // namespace arxiv_digest::api
