#include "services/api/logic/run_view.h"

#include <algorithm>

namespace arxiv_digest::api {

double ScoredFraction(int64_t done, int64_t total) {
  if (total <= 0) return 0;
  return std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0,
                    1.0);
}

JobProgressView ProgressOf(const RunManifest& m, int64_t scored) {
  JobProgressView p;
  const std::string& status = m.status;
  p.run_status = status;
  p.papers_total = m.papers_to_score;
  p.papers_done =
      std::min<int64_t>(scored, std::max(m.papers_to_score, scored));
  p.fraction = ScoredFraction(scored, m.papers_to_score);
  if (status == run_status::kRequested || status.empty()) {
    p.state = "queued";
    p.message = "waiting for a fetcher";
  } else if (status == run_status::kFetching ||
             status == run_status::kFetched) {
    p.state = "running";
    p.message =
        status == run_status::kFetching ? "collecting papers" : "scoring";
  } else if (status == run_status::kPublished) {
    p.state = "done";
    p.fraction = 1.0;
    p.message = "digest published";
  } else if (status == run_status::kNoAnnouncements) {
    p.state = "done";
    p.fraction = 1.0;
    p.message =
        m.reason.empty() ? "no announcements" : "no announcements: " + m.reason;
  } else if (status == run_status::kFailed) {
    p.state = "failed";
    std::string error = m.error.empty() ? m.reason : m.error;
    p.message = error.empty() ? "failed" : error;
  } else {
    p.state = "running";
    p.message = status;
  }
  return p;
}

bool IsTerminalState(std::string_view state) {
  return state == "done" || state == "failed";
}

}  // namespace arxiv_digest::api
