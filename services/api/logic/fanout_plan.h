// The profile fan-out's decisions: which runs get per-profile children and
// how each child is made (a Rescore of the daily run with kind=profile).
// Pure; adapters/profile_fanout.h does the reading and claiming.
#pragma once

#include <string>

#include "lib/core/paper.h"
#include "services/api/logic/rescore_plan.h"

namespace arxiv_digest::api {

// Only fetched (or already published) daily runs: children of a fan-out or
// a rescore have a `kind` and never fan out again.
bool ShouldFanOut(const RunManifest& manifest);

// Every profile but "default" (the daily run already is its digest).
bool NeedsChildRun(const std::string& profile);

// The child of `run_id` for `profile`: the whole run, kind=profile.
RescoreTarget FanOutTarget(const std::string& run_id);
RescoreOptions FanOutOptions(const std::string& profile,
                             const std::string& requested_at);

}  // namespace arxiv_digest::api
