#include "services/api/adapters/digest_api.h"

#include <algorithm>
#include <limits>
#include <mutex>
#include <optional>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "lib/config/profiles.h"
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
#include "services/api/adapters/work_budget.h"
#include "services/api/logic/digest_view.h"
#include "services/api/logic/paper_explain.h"
#include "services/api/logic/request_validation.h"
#include "services/api/logic/rescore.h"
#include "services/api/logic/run_view.h"
#include "services/api/logic/trigger_run.h"

namespace arxiv_digest::api {
namespace {

// GetRun counts fates only up to this many records (about 3 MB of reply;
// a busy day of all of cs is about 1,500 papers), so one call never pulls
// an unbounded hash.
constexpr int64_t kMaxCountedFates = 20000;

std::string FormatUtc(Clock& clock, const char* format) {
  return absl::FormatTime(format, absl::FromChrono(clock.Now()),
                          absl::UTCTimeZone());
}
std::string Today(Clock& clock) { return FormatUtc(clock, "%Y-%m-%d"); }
std::string Rfc3339(Clock& clock) {
  return FormatUtc(clock, "%Y-%m-%dT%H:%M:%SZ");
}

// Holds one of the process's concurrent-Rescore places, if one is free.
class RescoreSlot {
 public:
  RescoreSlot(std::atomic<int>& running, int max) : running_(running) {
    taken_ = running_.fetch_add(1) < max || max <= 0;
  }
  ~RescoreSlot() { running_.fetch_sub(1); }
  RescoreSlot(const RescoreSlot&) = delete;
  RescoreSlot& operator=(const RescoreSlot&) = delete;
  bool taken() const { return taken_; }

 private:
  std::atomic<int>& running_;
  bool taken_ = false;
};

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

absl::Status DigestApi::TakeToken(RedisClient& redis, const std::string& key,
                                  int burst, std::chrono::milliseconds refill,
                                  std::string_view what,
                                  std::string_view subject, const char* label) {
  if (burst <= 0) return absl::OkStatus();
  RedisTokenBucket bucket(redis, key, burst, refill);
  absl::StatusOr<std::chrono::milliseconds> wait = bucket.TryAcquire(1);
  if (!wait.ok()) return wait.status();
  if (wait->count() > 0) {
    metrics_.RecordLimited(label);
    return LimitReached(what, subject, *wait);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::TriggerRunResponse> DigestApi::TriggerRun(
    const ApiClient& client, const v1::TriggerRunRequest& req,
    std::string_view peer) {
  absl::StatusOr<TriggerRequest> trigger = ValidateTriggerRun(
      CategoriesOf(req), req.date(), Today(clock_), req.missing_days());
  if (!trigger.ok()) return trigger.status();
  trigger->requested_at = Rfc3339(clock_);
  trigger->requested_by = client.name;
  RunId run_id = MakeRunId(trigger->date, run_id_tag::kTrigger, random_());
  absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
  if (!redis.ok()) return redis.status();
  // Every trigger is a whole re-fetch, digest and delivery.
  const std::string subject = LimitSubject(client, peer);
  const AbuseLimits& abuse = options_.abuse;
  if (absl::Status s = TakeToken(
          **redis, keys::ApiLimit(subject) + ":trigger", abuse.trigger_burst,
          FullRefill(abuse.trigger_interval, abuse.trigger_burst),
          "TriggerRun rate limit", subject, "trigger");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          contract::RedisRunWriter(**redis, clock_, options_.run_ttl)
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
  absl::StatusOr<std::optional<std::vector<std::string>>> fates =
      runs.FateRecords(req.run_id(), kMaxCountedFates);
  if (!fates.ok()) return fates.status();
  if (fates->has_value()) SetStageFates(CountFates(**fates), run);
  return run;
}

absl::StatusOr<v1::PaperFate> DigestApi::ExplainPaper(
    const v1::ExplainPaperRequest& req) {
  if (absl::Status s = ValidateRunIdField("run_id", req.run_id()); !s.ok()) {
    return s;
  }
  absl::StatusOr<ArxivId> id = ArxivId::Parse(req.arxiv_id(), "arxiv_id");
  if (!id.ok()) return id.status();
  const std::string& run_id = req.run_id();
  const std::string arxiv_id = id->str();
  absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
  if (!redis.ok()) return redis.status();
  RunStore runs(**redis);
  absl::StatusOr<std::optional<RunManifest>> m = runs.Get(run_id);
  if (!m.ok()) return m.status();
  if (!m->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("run '", run_id, "' does not exist"));
  }
  const RunManifest& manifest = **m;
  PaperRecords records;
  // Single fields only: never the whole fates hash of a large run.
  for (auto [key, target] :
       {std::pair{keys::RunFates(run_id), &records.fate_json},
        std::pair{keys::RunScores(run_id), &records.score_json}}) {
    absl::StatusOr<std::optional<std::string>> value =
        (*redis)->HGet(key, arxiv_id);
    if (!value.ok()) return value.status();
    *target = *std::move(value);
  }
  absl::StatusOr<RedisReply> in_run =
      (*redis)->Command({"HEXISTS", keys::RunPapers(run_id), arxiv_id});
  if (!in_run.ok()) return in_run.status();
  records.in_run = in_run->integer == 1;

  const bool published = manifest.status == run_status::kPublished;
  std::optional<std::string> digest_json;
  if (published) {
    const std::string profile = manifest.profile.empty()
                                    ? std::string(kDefaultProfile)
                                    : manifest.profile;
    const int version = static_cast<int>(std::clamp<int64_t>(
        manifest.digest_version, 1, std::numeric_limits<int>::max()));
    DigestStore store(**redis);
    absl::StatusOr<std::vector<VersionMeta>> versions =
        store.Versions(profile, manifest.date);
    if (!versions.ok()) return versions.status();
    const bool is_latest =
        versions->empty() || versions->back().version == version;
    absl::StatusOr<std::optional<std::string>> text =
        store.Text(profile, manifest.date, version, is_latest, "json");
    if (!text.ok()) return text.status();
    if (!text->has_value()) {
      return absl::NotFoundError(
          absl::StrCat("run '", run_id, "' published the ", manifest.date,
                       " digest v", version, " of profile '", profile,
                       "', whose JSON is no longer stored"));
    }
    digest_json = **std::move(text);
  }
  absl::StatusOr<FinalFate> fate =
      ExplainPaperFate(run_id, arxiv_id, records, digest_json);
  if (!fate.ok()) return fate.status();
  return PaperFateOf(*fate, run_id, published);
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

absl::Status DigestApi::AdmitRescore(RedisClient& redis,
                                     const RescoreTarget& target,
                                     const RescoreResult& planned, bool dry_run,
                                     const std::string& subject) {
  const AbuseLimits& abuse = options_.abuse;
  if (absl::Status s =
          CheckRescoreRequest(target, planned, abuse, options_.max_range_days);
      !s.ok()) {
    return s;
  }
  if (dry_run) return absl::OkStatus();
  WorkBudget budget(redis, keys::ApiLimit(subject) + ":rescore-work",
                    WorkAmount{abuse.papers_per_day, abuse.tokens_per_day});
  absl::StatusOr<std::chrono::milliseconds> wait = budget.TryTake(
      WorkAmount{planned.papers, planned.estimated_prompt_tokens});
  if (!wait.ok()) return wait.status();
  if (wait->count() > 0) {
    metrics_.RecordLimited("work_budget");
    return LimitReached(
        absl::StrCat("Rescore daily work budget (", abuse.papers_per_day,
                     " papers, ", abuse.tokens_per_day,
                     " tokens) for this request of ", planned.papers,
                     " papers"),
        subject, *wait);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::RescoreResponse> DigestApi::Rescore(
    const ApiClient& client, const v1::RescoreRequest& req,
    std::string_view peer) {
  absl::StatusOr<RescoreTarget> target =
      ValidateRescore(RescoreArgsOf(req), Today(clock_), options_.limits());
  if (!target.ok()) return target.status();
  absl::StatusOr<std::string> profile = ResolveProfile(req.profile(), false);
  if (!profile.ok()) return profile.status();

  absl::StatusOr<RedisPool::Lease> redis = pool_.Acquire();
  if (!redis.ok()) return redis.status();
  const std::string subject = LimitSubject(client, peer);
  const AbuseLimits& abuse = options_.abuse;
  // Dry runs have a bucket of their own: they write nothing, but each one
  // reads and holds a whole target's papers.
  absl::Status limited =
      req.dry_run()
          ? TakeToken(**redis, keys::ApiLimit(subject) + ":dry-run",
                      abuse.dry_run_burst,
                      FullRefill(abuse.dry_run_interval, abuse.dry_run_burst),
                      "dry-run Rescore rate limit", subject, "dry_run")
          : TakeToken(**redis, keys::ApiLimit(client.name),
                      options_.rescore_burst, options_.rescore_period,
                      "Rescore rate limit", subject, "rescore");
  if (!limited.ok()) return limited;
  RescoreSlot slot(rescores_running_, abuse.max_concurrent_rescores);
  if (!slot.taken()) {
    metrics_.RecordLimited("concurrent_rescores");
    return absl::ResourceExhaustedError(absl::StrCat(
        "the api is already running ", abuse.max_concurrent_rescores,
        " Rescores; ", RetryIn(std::chrono::seconds(1))));
  }
  RescoreOptions options =
      RescoreOptionsFor(*profile, req.topics_override(), req.dry_run(),
                        client.name, Rfc3339(clock_));
  RedisClient& conn = **redis;
  absl::StatusOr<RescoreResult> result =
      RescoreJobs(conn, clock_, random_, options_.run_ttl)
          .Create(*target, options, [&](const RescoreResult& planned) {
            return AdmitRescore(conn, *target, planned, req.dry_run(), subject);
          });
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
