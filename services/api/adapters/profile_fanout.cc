#include "services/api/adapters/profile_fanout.h"

#include <chrono>
#include <memory>
#include <optional>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "lib/contract/stream_entries.h"
#include "lib/core/paper.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"
#include "services/api/adapters/api_metrics.h"
#include "services/api/adapters/rescore_jobs.h"
#include "services/api/adapters/run_store.h"
#include "services/api/logic/fanout_plan.h"

namespace arxiv_digest::api {
namespace {

StreamConsumerOptions ConsumerOptions(const ProfileFanoutOptions& options) {
  StreamConsumerOptions o;
  o.stream = keys::RunsStream();
  o.group = keys::kProfilesGroup;
  o.consumer = options.consumer;
  o.group_start_id = "$";
  o.batch = 20;
  o.block = options.block;
  // One api consumer per replica, each with its own name: nothing to take
  // over, and a fan-out is cheap to retry (it is idempotent).
  o.claim_idle = std::chrono::milliseconds(0);
  o.max_deliveries = 0;
  o.error_backoff = std::chrono::seconds(1);
  return o;
}

std::string Rfc3339(Clock& clock) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromChrono(clock.Now()),
                          absl::UTCTimeZone());
}

}  // namespace

ProfileFanout::ProfileFanout(RedisClient& redis,
                             std::function<std::vector<std::string>()> profiles,
                             std::function<uint32_t()> random, Clock& clock,
                             ApiMetrics* metrics,
                             const ProfileFanoutOptions& options)
    : redis_(redis),
      profiles_(std::move(profiles)),
      random_(std::move(random)),
      clock_(clock),
      metrics_(metrics),
      consumer_(redis, ConsumerOptions(options), clock) {}

absl::Status ProfileFanout::Init() { return consumer_.Init(); }

absl::StatusOr<std::vector<std::string>> ProfileFanout::FanOut(
    const std::string& run_id) {
  std::vector<std::string> created;
  absl::StatusOr<std::optional<RunManifest>> m = ReadManifest(redis_, run_id);
  if (!m.ok() && m.status().code() == absl::StatusCode::kDataLoss) {
    // Retrying cannot help: skip it (the entry is acked).
    LogWarning(
        "profile fan-out: unreadable manifest; skipped",
        {{"run_id", run_id}, {"error", std::string(m.status().message())}});
    return created;
  }
  if (!m.ok()) return m.status();
  if (!m->has_value() || !ShouldFanOut(**m)) return created;
  for (const std::string& profile : profiles_()) {
    if (!NeedsChildRun(profile)) continue;
    // HSETNX claims the slot first, so two replicas never both create it.
    absl::StatusOr<RedisReply> claimed =
        redis_.Command({"HSETNX", keys::RunProfileRuns(run_id), profile, ""});
    if (!claimed.ok()) return claimed.status();
    if (claimed->integer == 0) continue;
    absl::StatusOr<RescoreResult> r =
        RescoreJobs(redis_, clock_, random_)
            .Create(FanOutTarget(run_id),
                    FanOutOptions(profile, Rfc3339(clock_)));
    if (!r.ok()) {
      // Release the claim so a later attempt can create it.
      redis_.Command({"HDEL", keys::RunProfileRuns(run_id), profile})
          .IgnoreError();
      if (r.status().code() == absl::StatusCode::kFailedPrecondition) {
        continue;  // a run without papers has nothing to fan out
      }
      return r.status();
    }
    for (const std::string& child : r->job_ids) {
      if (absl::Status s =
              redis_.HSet(keys::RunProfileRuns(run_id), {{profile, child}});
          !s.ok()) {
        return s;
      }
      created.push_back(child);
      if (metrics_ != nullptr) metrics_->profile_runs.Increment();
      LogInfo("profile run created",
              {{"run_id", run_id}, {"profile", profile}, {"child_run", child}});
    }
  }
  return created;
}

absl::StatusOr<std::vector<EntryOutcome>> ProfileFanout::Handle(
    const std::vector<StreamEntry>& entries) {
  std::vector<EntryOutcome> outcomes;
  for (const StreamEntry& e : entries) {
    // A malformed entry is acked unread, as before the contract codec.
    absl::StatusOr<contract::RunEntry> run = contract::DecodeRunEntry(e.fields);
    if (run.ok() && run->status == run_status::kFetched) {
      absl::StatusOr<std::vector<std::string>> children =
          FanOut(run->run_id.str());
      if (!children.ok()) {
        LogError("profile fan-out failed; retrying",
                 {{"run_id", run->run_id.str()},
                  {"error", std::string(children.status().message())}});
        return children.status();  // every entry read stays pending
      }
      created_.insert(created_.end(), children->begin(), children->end());
    }
    outcomes.push_back(EntryOutcome{Disposition::kAck, ""});
  }
  return outcomes;
}

absl::StatusOr<std::vector<std::string>> ProfileFanout::RunOnce() {
  created_.clear();
  absl::StatusOr<int> handled = consumer_.Step(*this);
  std::vector<std::string> created = std::move(created_);
  created_.clear();
  if (!handled.ok()) return handled.status();
  return created;
}

void ProfileFanout::Run(const std::function<bool()>& stop) {
  consumer_.Run(*this, stop);
}

void RunProfileFanout(const std::string& redis_url,
                      std::function<std::vector<std::string>()> profiles,
                      std::function<uint32_t()> random, Clock& clock,
                      ApiMetrics* metrics, const ProfileFanoutOptions& options,
                      const std::function<bool()>& stop) {
  absl::StatusOr<std::unique_ptr<RedisClient>> redis =
      RedisClient::Connect(redis_url);
  if (!redis.ok()) {
    LogError("profile fan-out: no Redis connection");
    return;
  }
  ProfileFanout fanout(**redis, std::move(profiles), std::move(random), clock,
                       metrics, options);
  // Redis may still be loading: keep trying to create the group.
  while (!stop()) {
    if (absl::Status s = fanout.Init(); s.ok()) break;
    clock.SleepFor(std::chrono::seconds(1));
  }
  fanout.Run(stop);
}

}  // namespace arxiv_digest::api
