#include "services/api/adapters/profile_fanout.h"

#include <thread>

#include "lib/core/paper.h"
#include "lib/log/log.h"
#include "lib/redis/keys.h"
#include "lib/redis/keys.h"
#include "services/api/adapters/api_metrics.h"
#include "services/api/adapters/rescore_jobs.h"

namespace arxiv_digest::api {
namespace {

// Entries of an XREADGROUP reply: [[stream, [[id, [f, v, ...]], ...]]].
std::vector<StreamEntry> Entries(const RedisReply& reply) {
  std::vector<StreamEntry> out;
  for (const RedisReply& stream : reply.elements) {
    if (stream.elements.size() != 2) continue;
    for (const RedisReply& e : stream.elements[1].elements) {
      if (e.elements.size() != 2) continue;
      StreamEntry entry;
      entry.id = e.elements[0].str;
      const RedisReply& kv = e.elements[1];
      for (size_t i = 0; i + 1 < kv.elements.size(); i += 2) {
        entry.fields.emplace_back(kv.elements[i].str, kv.elements[i + 1].str);
      }
      out.push_back(std::move(entry));
    }
  }
  return out;
}

}  // namespace

ProfileFanout::ProfileFanout(RedisClient& redis,
                             std::function<std::vector<std::string>()> profiles,
                             std::function<uint32_t()> random,
                             std::function<std::string()> now,
                             ApiMetrics* metrics, ProfileFanoutOptions options)
    : redis_(redis),
      profiles_(std::move(profiles)),
      random_(std::move(random)),
      now_(std::move(now)),
      metrics_(metrics),
      options_(std::move(options)) {}

absl::Status ProfileFanout::Init() {
  return redis_.EnsureGroup(keys::RunsStream(), keys::kProfilesGroup, "$");
}

absl::StatusOr<std::vector<std::string>> ProfileFanout::FanOut(
    const std::string& run_id) {
  std::vector<std::string> created;
  absl::StatusOr<std::map<std::string, std::string>> m =
      redis_.HGetAll(keys::Run(run_id));
  if (!m.ok()) return m.status();
  auto field = [&](const char* k) {
    auto it = m->find(k);
    return it == m->end() ? std::string() : it->second;
  };
  std::string status = field("status");
  // Children of a fan-out or rescore never fan out again.
  if (!field("kind").empty() ||
      (status != run_status::kFetched && status != run_status::kPublished)) {
    return created;
  }
  for (const std::string& profile : profiles_()) {
    if (profile == "default") continue;
    // HSETNX claims the slot first, so two replicas never both create it.
    absl::StatusOr<RedisReply> claimed = redis_.Command(
        {"HSETNX", keys::RunProfileRuns(run_id), profile, ""});
    if (!claimed.ok()) return claimed.status();
    if (claimed->integer == 0) continue;
    RescoreTarget target;
    target.kind = RescoreTarget::Kind::kRun;
    target.run_id = run_id;
    RescoreOptions options;
    options.profile = profile;
    options.kind = "profile";
    options.requested_by = "profile-fanout";
    options.requested_at = now_();
    absl::StatusOr<RescoreResult> r =
        RescoreJobs(redis_, random_).Create(target, options);
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

absl::StatusOr<std::vector<std::string>> ProfileFanout::RunOnce() {
  // After a restart, first the entries this consumer read but never acked.
  std::string start = pending_done_ ? ">" : "0";
  std::vector<std::string> args = {
      "XREADGROUP",      "GROUP", keys::kProfilesGroup,
      options_.consumer, "COUNT", "20"};
  if (pending_done_) {
    args.insert(args.end(), {"BLOCK", std::to_string(options_.block.count())});
  }
  args.insert(args.end(), {"STREAMS", keys::RunsStream(), start});
  absl::StatusOr<RedisReply> reply = redis_.Command(args);
  if (!reply.ok()) return reply.status();
  std::vector<StreamEntry> entries = Entries(*reply);
  if (!pending_done_ && entries.empty()) pending_done_ = true;
  std::vector<std::string> created;
  for (const StreamEntry& e : entries) {
    std::optional<std::string> run_id = e.Field("run_id");
    std::optional<std::string> status = e.Field("status");
    if (run_id && status && *status == run_status::kFetched) {
      absl::StatusOr<std::vector<std::string>> children = FanOut(*run_id);
      if (!children.ok()) return children.status();  // stays pending
      created.insert(created.end(), children->begin(), children->end());
    }
    if (absl::Status s =
            redis_.XAck(keys::RunsStream(), keys::kProfilesGroup, {e.id});
        !s.ok()) {
      return s;
    }
  }
  return created;
}

void ProfileFanout::Run(const std::function<bool()>& stop) {
  while (!stop()) {
    absl::StatusOr<std::vector<std::string>> r = RunOnce();
    if (!r.ok()) {
      LogError("profile fan-out failed; retrying",
               {{"error", std::string(r.status().message())}});
      pending_done_ = false;  // re-read what stayed pending
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
}

}  // namespace arxiv_digest::api
