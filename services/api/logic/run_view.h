// How a run manifest (lib/contract/run_manifest.h, decoded) reads as a
// job's progress for GetRun and WatchJob. Pure; adapters/proto_views.h
// turns these into the gRPC messages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lib/core/paper.h"

namespace arxiv_digest::api {

// The progress of one job (a run) as WatchJob reports it.
struct JobProgressView {
  std::string run_status;
  std::string state;  // queued, running, done, failed
  std::string message;
  int64_t papers_total = 0;
  int64_t papers_done = 0;
  double fraction = 0;
};

// done / total within [0, 1]; 0 without a total.
double ScoredFraction(int64_t done, int64_t total);

// requested -> queued; fetching/fetched -> running; published and
// no_announcements -> done; failed -> failed (message = error/reason).
// `scored` = HLEN of the run's scores hash.
JobProgressView ProgressOf(const RunManifest& manifest, int64_t scored);

bool IsTerminalState(std::string_view state);

}  // namespace arxiv_digest::api
