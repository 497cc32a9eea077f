#include "services/api/adapters/digest_api.h"

#include <algorithm>
#include <mutex>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "lib/log/log.h"
#include "lib/redis/rate_limiter.h"
#include "lib/redis/keys.h"
#include "services/api/adapters/api_metrics.h"
#include "services/api/adapters/digest_store.h"
#include "services/api/adapters/rescore_jobs.h"
#include "services/api/adapters/run_store.h"
#include "services/api/logic/run_view.h"
#include "services/api/logic/validation.h"

namespace arxiv_digest::api {
namespace {

const char* FormatExt(v1::DigestFormat f) {
  switch (f) {
    case v1::DIGEST_FORMAT_JSON:
      return "json";
    case v1::DIGEST_FORMAT_HTML:
      return "html";
    default:
      return "md";
  }
}

absl::Status ValidateRunId(const char* field, const std::string& id) {
  if (id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is required"));
  }
  if (!IsValidRunId(id)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": '", id.substr(0, 100),
                     "' is not a run id (letters, digits, '.', '_', '-')"));
  }
  return absl::OkStatus();
}

}  // namespace

DigestApiEnv RealDigestApiEnv() {
  DigestApiEnv env;
  env.today = [] {
    return absl::FormatTime("%Y-%m-%d", absl::Now(), absl::UTCTimeZone());
  };
  env.now = [] {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(),
                            absl::UTCTimeZone());
  };
  env.random = [] {
    static std::mutex mu;
    static std::mt19937 gen{std::random_device{}()};
    std::lock_guard<std::mutex> lock(mu);
    return static_cast<uint32_t>(gen());
  };
  return env;
}

DigestApi::DigestApi(RedisPool& pool, const ProfileCatalog& profiles,
                     ApiMetrics& metrics, DigestApiEnv env,
                     DigestApiOptions options)
    : pool_(pool),
      profiles_(profiles),
      metrics_(metrics),
      env_(std::move(env)),
      options_(options) {}

absl::StatusOr<std::string> DigestApi::ResolveProfile(
    const std::string& profile, bool allow_redis_only) {
  std::string name = profile.empty() ? "default" : profile;
  if (!IsValidProfileName(name)) {
    return absl::InvalidArgumentError(
        absl::StrCat("profile: '", name.substr(0, 64),
                     "' is not a profile name (letters, digits, '_', '-')"));
  }
  std::vector<std::string> known = profiles_.List();
  if (std::find(known.begin(), known.end(), name) != known.end()) return name;
  if (allow_redis_only) {
    // A profile whose folder was removed keeps its published digests.
    absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
    if (!redis.ok()) return redis.status();
    absl::StatusOr<std::vector<std::string>> with_digests =
        DigestStore(**redis).ProfilesWithDigests();
    if (!with_digests.ok()) return with_digests.status();
    if (std::find(with_digests->begin(), with_digests->end(), name) !=
        with_digests->end()) {
      return name;
    }
  }
  return absl::NotFoundError(
      absl::StrCat("unknown profile '", name,
                   "' (known: ", absl::StrJoin(known, ", "), ")"));
}

absl::StatusOr<v1::TriggerRunResponse> DigestApi::TriggerRun(
    const ApiClient& client, const v1::TriggerRunRequest& req) {
  TriggerRequest trigger;
  for (const std::string& c : req.categories()) {
    if (!IsValidCategory(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "categories: '", c.substr(0, 100),
          "' is not an arXiv category (e.g. cs.LG or cs.CL+cs.LG)"));
    }
    trigger.categories.push_back(c);
  }
  if (!req.date().empty()) {
    if (absl::Status s = ValidatePastDate("date", req.date(), env_.today());
        !s.ok()) {
      return s;
    }
  }
  trigger.date = req.date();
  trigger.requested_at = env_.now();
  trigger.requested_by = client.name;
  std::string run_id = MakeRunId(req.date(), 't', env_.random());
  absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
  if (!redis.ok()) return redis.status();
  if (absl::Status s = RunStore(**redis).Trigger(run_id, trigger); !s.ok()) {
    return s;
  }
  metrics_.triggers.Increment();
  LogInfo("run triggered",
          {{"run_id", run_id},
           {"client", client.name},
           {"categories", absl::StrJoin(trigger.categories, ",")},
           {"date", trigger.date}});
  v1::TriggerRunResponse resp;
  resp.set_run_id(run_id);
  return resp;
}

absl::StatusOr<v1::Run> DigestApi::GetRun(const v1::GetRunRequest& req) {
  if (absl::Status s = ValidateRunId("run_id", req.run_id()); !s.ok()) return s;
  absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
  if (!redis.ok()) return redis.status();
  RunStore runs(**redis);
  absl::StatusOr<std::optional<Manifest>> m = runs.Get(req.run_id());
  if (!m.ok()) return m.status();
  if (!m->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("run '", req.run_id(), "' does not exist"));
  }
  absl::StatusOr<int64_t> scored = runs.Scored(req.run_id());
  if (!scored.ok()) return scored.status();
  v1::Run run = RunFromManifest(**m, *scored);
  if (run.run_id().empty()) run.set_run_id(req.run_id());
  return run;
}

absl::StatusOr<v1::JobProgress> DigestApi::Progress(const std::string& job_id) {
  if (absl::Status s = ValidateRunId("job_id", job_id); !s.ok()) return s;
  absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
  if (!redis.ok()) return redis.status();
  RunStore runs(**redis);
  absl::StatusOr<std::optional<Manifest>> m = runs.Get(job_id);
  if (!m.ok()) return m.status();
  if (!m->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("job '", job_id, "' does not exist"));
  }
  absl::StatusOr<int64_t> scored = runs.Scored(job_id);
  if (!scored.ok()) return scored.status();
  return ProgressFromManifest(job_id, **m, *scored);
}

absl::StatusOr<v1::RescoreResponse> DigestApi::Rescore(
    const ApiClient& client, const v1::RescoreRequest& req) {
  RescoreTarget target;
  switch (req.target_case()) {
    case v1::RescoreRequest::kPapers: {
      target.kind = RescoreTarget::Kind::kIds;
      if (req.papers().arxiv_ids().empty()) {
        return absl::InvalidArgumentError("papers: the id list is empty");
      }
      if (req.papers().arxiv_ids_size() > options_.max_ids) {
        return absl::InvalidArgumentError(absl::StrCat(
            "papers: at most ", options_.max_ids, " ids per request"));
      }
      std::vector<std::string> bad;
      for (const std::string& id : req.papers().arxiv_ids()) {
        if (!IsValidArxivId(id)) {
          bad.push_back(absl::StrCat("'", id.substr(0, 40), "'"));
        } else if (std::string plain = StripArxivVersion(id);
                   std::find(target.ids.begin(), target.ids.end(), plain) ==
                   target.ids.end()) {
          target.ids.push_back(plain);
        }
      }
      if (!bad.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("papers: not arXiv ids: ", absl::StrJoin(bad, ", ")));
      }
      break;
    }
    case v1::RescoreRequest::kRunId:
      if (absl::Status s = ValidateRunId("run_id", req.run_id()); !s.ok()) {
        return s;
      }
      target.kind = RescoreTarget::Kind::kRun;
      target.run_id = req.run_id();
      break;
    case v1::RescoreRequest::kDates: {
      target.kind = RescoreTarget::Kind::kDates;
      target.from_date = req.dates().from_date();
      target.to_date = req.dates().to_date().empty() ? target.from_date
                                                     : req.dates().to_date();
      std::string today = env_.today();
      if (absl::Status s =
              ValidatePastDate("dates.from_date", target.from_date, today);
          !s.ok()) {
        return s;
      }
      if (absl::Status s =
              ValidatePastDate("dates.to_date", target.to_date, today);
          !s.ok()) {
        return s;
      }
      int days = DaysBetween(target.from_date, target.to_date);
      if (days < 0) {
        return absl::InvalidArgumentError("dates: from_date is after to_date");
      }
      if (days >= options_.max_range_days) {
        return absl::InvalidArgumentError(absl::StrCat(
            "dates: at most ", options_.max_range_days, " days per request"));
      }
      break;
    }
    default:
      return absl::InvalidArgumentError(
          "one of papers, run_id or dates is required");
  }
  if (req.topics_override().size() > options_.max_topics_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "topics_override: at most ", options_.max_topics_bytes, " bytes"));
  }
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
  RescoreOptions options;
  options.profile = *profile;
  options.topics_override = req.topics_override();
  options.dry_run = req.dry_run();
  options.requested_by = client.name;
  options.requested_at = env_.now();
  RescoreJobs jobs(**redis, env_.random);
  absl::StatusOr<RescoreResult> result = jobs.Create(target, options);
  if (!result.ok()) return result.status();

  v1::RescoreResponse resp;
  resp.set_dry_run(req.dry_run());
  resp.set_papers(result->papers);
  resp.set_estimated_prompt_tokens(result->estimated_prompt_tokens);
  for (const std::string& id : result->job_ids) resp.add_job_ids(id);
  for (const std::string& d : result->dates) resp.add_dates(d);
  if (!result->job_ids.empty()) resp.set_job_id(result->job_ids.front());
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
  if (!req.date().empty() && !IsValidDate(req.date())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "date: '", req.date().substr(0, 20), "' is not a date (YYYY-MM-DD)"));
  }
  if (req.version() < 0) {
    return absl::InvalidArgumentError("version: must be >= 0 (0 = latest)");
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
  if (versions->empty()) {
    return absl::NotFoundError(
        absl::StrCat("no digest for profile '", *profile, "' on ", date));
  }
  const VersionMeta* chosen = &versions->back();
  if (req.version() != 0) {
    chosen = nullptr;
    for (const VersionMeta& v : *versions) {
      if (v.version == req.version()) chosen = &v;
    }
    if (chosen == nullptr) {
      return absl::NotFoundError(absl::StrCat(
          "version ", req.version(), " of the ", date, " digest of profile '",
          *profile, "' does not exist (latest is ", versions->back().version,
          ")"));
    }
  }
  bool is_latest = chosen == &versions->back();
  const char* ext = FormatExt(req.format());
  absl::StatusOr<std::optional<std::string>> text =
      store.Text(*profile, date, chosen->version, is_latest, ext);
  if (!text.ok()) return text.status();
  if (!text->has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "the ", date, " digest v", chosen->version, " of profile '", *profile,
        "' has no ", ext, " rendering"));
  }
  v1::Digest digest;
  digest.set_profile(*profile);
  digest.set_date(date);
  digest.set_version(chosen->version);
  digest.set_format(req.format() == v1::DIGEST_FORMAT_UNSPECIFIED
                        ? v1::DIGEST_FORMAT_MARKDOWN
                        : req.format());
  digest.set_content(**std::move(text));
  digest.set_run_id(chosen->run_id);
  digest.set_relevant_papers(chosen->relevant_papers);
  return digest;
}

absl::StatusOr<v1::ListDigestsResponse> DigestApi::ListDigests(
    const v1::ListDigestsRequest& req) {
  absl::StatusOr<std::string> profile = ResolveProfile(req.profile(), true);
  if (!profile.ok()) return profile.status();
  for (const auto& [field, value] : {std::pair{"from_date", &req.from_date()},
                                     {"to_date", &req.to_date()}}) {
    if (!value->empty() && !IsValidDate(*value)) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": '", value->substr(0, 20), "' is not a date (YYYY-MM-DD)"));
    }
  }
  if (!req.from_date().empty() && !req.to_date().empty() &&
      req.from_date() > req.to_date()) {
    return absl::InvalidArgumentError("from_date is after to_date");
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
    const VersionMeta& latest = versions->back();
    v1::DigestSummary* s = resp.add_digests();
    s->set_profile(*profile);
    s->set_date(date);
    s->set_version(latest.version);
    s->set_run_id(latest.run_id);
    s->set_relevant_papers(latest.relevant_papers);
    s->set_versions(static_cast<int>(versions->size()));
    s->set_published_at(latest.published_at);
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
