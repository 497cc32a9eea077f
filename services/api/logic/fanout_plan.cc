#include "services/api/logic/fanout_plan.h"

#include "lib/contract/run_manifest.h"
#include "lib/core/ids.h"
#include "lib/core/paper.h"

namespace arxiv_digest::api {

bool ShouldFanOut(const RunManifest& manifest) {
  return manifest.kind == contract::run_kind::kFetched &&
         (manifest.status == run_status::kFetched ||
          manifest.status == run_status::kPublished);
}

bool NeedsChildRun(const std::string& profile) {
  return profile != ProfileName::Default().str();
}

RescoreTarget FanOutTarget(const std::string& run_id) {
  RescoreTarget target;
  target.kind = RescoreTarget::Kind::kRun;
  target.run_id = run_id;
  return target;
}

RescoreOptions FanOutOptions(const std::string& profile,
                             const std::string& requested_at) {
  RescoreOptions options;
  options.profile = profile;
  options.kind = contract::run_kind::kProfile;
  options.requested_by = "profile-fanout";
  options.requested_at = requested_at;
  return options;
}

}  // namespace arxiv_digest::api
