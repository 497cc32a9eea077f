#include "services/publisher/logic/publish_run.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/config/profiles.h"
#include "lib/core/ids.h"
#include "lib/core/paper.h"
#include "lib/log/log.h"

namespace arxiv_digest {

PublishRun::PublishRun(RunRepository& runs, DigestStore& store,
                       const std::map<std::string, Config>& profiles,
                       const PriceTable& prices, SinksForProfile sinks,
                       Clock& clock, PublishObserver observer)
    : runs_(runs),
      store_(store),
      profiles_(profiles),
      prices_(prices),
      sinks_(std::move(sinks)),
      clock_(clock),
      observer_(std::move(observer)) {}

absl::StatusOr<PublishOutcome> PublishRun::Publish(const std::string& run_id) {
  // Run ids become key and file name parts: never trust one unchecked.
  if (absl::StatusOr<RunId> id = RunId::Parse(run_id); !id.ok()) {
    return id.status();
  }
  absl::StatusOr<RunState> run = runs_.LoadManifest(run_id);
  if (!run.ok()) return run.status();
  if (run->status == run_status::kPublished) {
    return PublishOutcome::kAlreadyPublished;
  }
  if (run->status == run_status::kNoAnnouncements ||
      run->status == run_status::kFailed) {
    return PublishOutcome::kNotPublishable;
  }
  if (!run->invalid.empty()) {
    return Unpublishable(run_id,
                         absl::StrCat("invalid run manifest: ", run->invalid));
  }
  if (run->status != run_status::kFetched) return PublishOutcome::kWaiting;
  absl::StatusOr<int64_t> have = runs_.CountScores(run_id);
  if (!have.ok()) return have.status();
  if (run->papers_to_score < 0 || *have < run->papers_to_score) {
    return PublishOutcome::kWaiting;
  }

  // Profile and date name the output files (and keys): validated here, so
  // no manifest can make the publisher write outside its folder.
  const std::string profile =
      run->profile.empty() ? std::string(kDefaultProfile) : run->profile;
  if (absl::StatusOr<ProfileName> p = ProfileName::Parse(profile); !p.ok()) {
    return Unpublishable(run_id, std::string(p.status().message()));
  }
  if (run->date != kUnknownDate) {
    if (absl::StatusOr<Date> d = Date::Parse(run->date); !d.ok()) {
      return Unpublishable(run_id, std::string(d.status().message()));
    }
  }
  auto profile_it = profiles_.find(profile);
  if (profile_it == profiles_.end()) {
    // Nothing will make this run publishable here: say so on the run.
    LogError("run names an unknown profile",
             {{"run_id", run_id}, {"profile", profile}});
    if (absl::Status s = runs_.MarkFailed(
            run_id, absl::StrCat("unknown profile '", profile, "'"));
        !s.ok()) {
      return s;
    }
    return PublishOutcome::kNotPublishable;
  }

  absl::StatusOr<bool> locked = runs_.TryLockPublish(run_id);
  if (!locked.ok()) return locked.status();
  if (!*locked) return PublishOutcome::kLocked;
  absl::StatusOr<bool> versions_locked =
      store_.TryLockVersions(profile, run->date, run_id);
  if (!versions_locked.ok() || !*versions_locked) {
    runs_.ReleasePublish(run_id);
    if (!versions_locked.ok()) return versions_locked.status();
    return PublishOutcome::kLocked;
  }
  const auto start = clock_.Monotonic();
  absl::StatusOr<AssembledDigest> assembled =
      StoreLocked(*run, profile, profile_it->second);
  // The run's own lock stays after a success: it expires by itself, and
  // until then a replica that read the manifest before the status flip
  // cannot take it and publish the run again.
  if (!assembled.ok()) runs_.ReleasePublish(run_id);
  store_.ReleaseVersions(profile, run->date);
  if (!assembled.ok()) return assembled.status();

  if (observer_.on_published) {
    observer_.on_published(
        *assembled, std::chrono::duration<double>(clock_.Monotonic() - start));
  }
  if (!assembled->cost.known_model) {
    LogWarning("no price for the model; cost shown as 0",
               {{"model", assembled->model}});
  }
  LogInfo("digest published",
          {{"run_id", run_id},
           {"profile", profile},
           {"date", run->date},
           {"version", std::to_string(assembled->digest.version)},
           {"relevant_papers", std::to_string(assembled->relevant_papers)},
           {"unscored_papers", std::to_string(assembled->unscored_papers)}});
  Deliver(*assembled);
  return PublishOutcome::kPublished;
}

absl::StatusOr<PublishOutcome> PublishRun::Unpublishable(
    const std::string& run_id, const std::string& error) {
  // Nothing will make this run publishable here: say so on the run, so it
  // is not tried again.
  LogError("run cannot be published", {{"run_id", run_id}, {"error", error}});
  if (absl::Status s = runs_.MarkFailed(run_id, error); !s.ok()) return s;
  return PublishOutcome::kNotPublishable;
}

absl::StatusOr<AssembledDigest> PublishRun::StoreLocked(
    const RunState& run, const std::string& profile, const Config& config) {
  DigestInputs inputs;
  inputs.run = run;
  inputs.profile = profile;
  inputs.config = &config;
  inputs.prices = &prices_;
  absl::StatusOr<RunRecords> records = runs_.LoadRecords(run.run_id);
  if (!records.ok()) return records.status();
  inputs.records = *std::move(records);
  absl::StatusOr<int> version = store_.NextVersion(profile, run.date);
  if (!version.ok()) return version.status();
  inputs.version = *version;

  // Moved in: AssembleDigest frees the run's records once it has read them.
  absl::StatusOr<AssembledDigest> assembled = AssembleDigest(std::move(inputs));
  if (!assembled.ok()) return assembled.status();
  for (const SkippedRecord& skipped : assembled->skipped) {
    LogError("skipping unreadable run data", {{"run_id", run.run_id},
                                              {"arxiv_id", skipped.arxiv_id},
                                              {"error", skipped.error}});
  }

  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> paths =
      store_.Store(*assembled);
  if (!paths.ok()) {
    if (observer_.on_store_failed) observer_.on_store_failed();
    return paths.status();
  }
  std::vector<std::pair<std::string, std::string>> fields =
      assembled->manifest_fields;
  fields.insert(fields.end(), paths->begin(), paths->end());
  // The status flip comes last: "published" means everything is in place.
  if (absl::Status s = runs_.MarkPublished(run.run_id, fields); !s.ok()) {
    return s;
  }
  return assembled;
}

void PublishRun::Deliver(const AssembledDigest& assembled) {
  // Delivery after the fact: a failing Slack or mail server never holds
  // back the digest itself, and one sink's failure does not stop another.
  if (!sinks_) return;
  for (DigestSink* sink : sinks_(assembled.digest.profile)) {
    absl::Status s = sink->Deliver(assembled.digest);
    if (!s.ok()) {
      LogError("delivery failed", {{"run_id", assembled.digest.run_id},
                                   {"sink", sink->name()},
                                   {"error", std::string(s.message())}});
    }
    if (observer_.on_delivery) observer_.on_delivery(sink->name(), s);
  }
}

}  // namespace arxiv_digest
