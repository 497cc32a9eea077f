#include "services/api/logic/run_view.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace arxiv_digest::api {
namespace {

std::string Field(const Manifest& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}

int64_t Int(const Manifest& m, const char* key) {
  int64_t v = 0;
  auto it = m.find(key);
  if (it == m.end() || !absl::SimpleAtoi(it->second, &v)) return 0;
  return v;
}

double Double(const Manifest& m, const char* key) {
  double v = 0;
  auto it = m.find(key);
  if (it == m.end() || !absl::SimpleAtod(it->second, &v)) return 0;
  return v;
}

double Fraction(int64_t done, int64_t total) {
  if (total <= 0) return 0;
  return std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0,
                    1.0);
}

}  // namespace

v1::Run RunFromManifest(const Manifest& m, int64_t scored) {
  v1::Run run;
  run.set_run_id(Field(m, "run_id"));
  run.set_date(Field(m, "date"));
  run.set_status(Field(m, "status"));
  run.set_total_papers(Int(m, "total_papers"));
  run.set_scanned_papers(Int(m, "scanned_papers"));
  run.set_papers_to_score(Int(m, "papers_to_score"));
  run.set_papers_scored(scored);
  run.set_prompt_tokens(Int(m, "prompt_tokens"));
  run.set_completion_tokens(Int(m, "completion_tokens"));
  run.set_cached_tokens(Int(m, "cached_tokens"));
  run.set_cost_usd(Double(m, "cost_usd"));
  run.set_error(Field(m, "error"));
  run.set_reason(Field(m, "reason"));
  run.set_kind(Field(m, "kind"));
  run.set_parent_run(Field(m, "parent_run"));
  std::string profile = Field(m, "profile");
  run.set_profile(profile.empty() ? "default" : profile);
  run.set_progress(Fraction(scored, run.papers_to_score()));
  run.set_relevant_papers(Int(m, "relevant_papers"));
  run.set_unscored_papers(Int(m, "unscored_papers"));
  run.set_prefiltered_papers(Int(m, "prefiltered_papers"));
  run.set_model(Field(m, "model"));
  run.set_requested_at(Field(m, "requested_at"));
  run.set_skipped_seen(Int(m, "skipped_seen"));
  std::string categories = Field(m, "categories");
  if (!categories.empty()) {
    for (absl::string_view c :
         absl::StrSplit(categories, ',', absl::SkipEmpty())) {
      run.add_categories(std::string(c));
    }
  }
  return run;
}

v1::JobProgress ProgressFromManifest(std::string_view job_id, const Manifest& m,
                                     int64_t scored) {
  v1::JobProgress p;
  p.set_job_id(std::string(job_id));
  std::string status = Field(m, "status");
  p.set_run_status(status);
  int64_t total = Int(m, "papers_to_score");
  p.set_papers_total(total);
  p.set_papers_done(
      std::min<int64_t>(scored, std::max<int64_t>(total, scored)));
  p.set_fraction(Fraction(scored, total));
  if (status == kStatusRequested || status.empty()) {
    p.set_state("queued");
    p.set_message("waiting for a fetcher");
  } else if (status == "fetching" || status == "fetched") {
    p.set_state("running");
    p.set_message(status == "fetching" ? "collecting papers" : "scoring");
  } else if (status == "published") {
    p.set_state("done");
    p.set_fraction(1.0);
    p.set_message("digest published");
  } else if (status == "no_announcements") {
    p.set_state("done");
    p.set_fraction(1.0);
    std::string reason = Field(m, "reason");
    p.set_message(reason.empty() ? "no announcements"
                                 : "no announcements: " + reason);
  } else if (status == "failed") {
    p.set_state("failed");
    std::string error = Field(m, "error");
    if (error.empty()) error = Field(m, "reason");
    p.set_message(error.empty() ? "failed" : error);
  } else {
    p.set_state("running");
    p.set_message(status);
  }
  return p;
}

bool IsTerminalState(std::string_view state) {
  return state == "done" || state == "failed";
}

std::string MakeRunId(std::string_view date, char kind, uint32_t random) {
  return absl::StrFormat("%s-%c%08x", date.empty() ? "pending" : date, kind,
                         random);
}

}  // namespace arxiv_digest::api
