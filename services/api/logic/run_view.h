// How a run manifest hash (see services/publisher/adapters/run_publisher.cc
// and the fetcher's run writer) reads as the API's Run and JobProgress.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "arxiv_digest.pb.h"

namespace arxiv_digest::api {

using Manifest = std::map<std::string, std::string>;

// Statuses this service adds before the fetcher takes over a run.
inline constexpr char kStatusRequested[] = "requested";

// Every known manifest field copied into a Run; `scored` = HLEN of the run's
// scores hash. Unknown or unparsable numbers read as 0.
v1::Run RunFromManifest(const Manifest& manifest, int64_t scored);

// requested -> queued; fetching/fetched -> running; published and
// no_announcements -> done; failed -> failed (message = error/reason).
v1::JobProgress ProgressFromManifest(std::string_view job_id,
                                     const Manifest& manifest, int64_t scored);

bool IsTerminalState(std::string_view state);

// "<date or 'pending'>-<kind><8 hex digits>", e.g. "2025-04-08-r0a1b2c3d".
std::string MakeRunId(std::string_view date, char kind, uint32_t random);

}  // namespace arxiv_digest::api
