#include "services/api/adapters/proto_views.h"

#include "lib/core/ids.h"

namespace arxiv_digest::api {

RescoreArgs RescoreArgsOf(const v1::RescoreRequest& req) {
  RescoreArgs args;
  switch (req.target_case()) {
    case v1::RescoreRequest::kPapers:
      args.target = RescoreArgs::Target::kPapers;
      args.arxiv_ids.assign(req.papers().arxiv_ids().begin(),
                            req.papers().arxiv_ids().end());
      break;
    case v1::RescoreRequest::kRunId:
      args.target = RescoreArgs::Target::kRunId;
      args.run_id = req.run_id();
      break;
    case v1::RescoreRequest::kDates:
      args.target = RescoreArgs::Target::kDates;
      args.from_date = req.dates().from_date();
      args.to_date = req.dates().to_date();
      break;
    default:
      args.target = RescoreArgs::Target::kNone;
  }
  args.topics_override = req.topics_override();
  return args;
}

std::vector<std::string> CategoriesOf(const v1::TriggerRunRequest& req) {
  return {req.categories().begin(), req.categories().end()};
}

v1::Run RunOf(const RunManifest& m, int64_t scored) {
  v1::Run run;
  run.set_run_id(m.run_id);
  run.set_date(m.date);
  run.set_status(m.status);
  run.set_total_papers(m.total_papers);
  run.set_scanned_papers(m.scanned_papers);
  run.set_papers_to_score(m.papers_to_score);
  run.set_papers_scored(scored);
  run.set_prompt_tokens(m.tokens.prompt_tokens);
  run.set_completion_tokens(m.tokens.completion_tokens);
  run.set_cached_tokens(m.tokens.cached_tokens);
  run.set_cost_usd(m.cost_usd);
  run.set_error(m.error);
  run.set_reason(m.reason);
  run.set_kind(m.kind);
  run.set_parent_run(m.parent_run);
  run.set_profile(m.profile.empty() ? ProfileName::Default().str() : m.profile);
  run.set_progress(ScoredFraction(scored, m.papers_to_score));
  run.set_relevant_papers(m.relevant_papers);
  run.set_unscored_papers(m.unscored_papers);
  run.set_prefiltered_papers(m.prefiltered_papers);
  run.set_model(m.model);
  run.set_requested_at(m.requested_at);
  run.set_skipped_seen(m.skipped_seen);
  for (const std::string& c : m.categories) run.add_categories(c);
  return run;
}

void SetStageFates(const FateSummary& summary, v1::Run& run) {
  for (const StageFateCount& c : summary.stages) {
    v1::StageFates* s = run.add_stage_fates();
    s->set_stage(c.stage);
    s->set_kept(c.kept);
    s->set_dropped(c.dropped);
  }
  run.set_unreadable_fates(summary.unreadable);
}

v1::JobProgress JobProgressOf(std::string_view job_id,
                              const JobProgressView& view) {
  v1::JobProgress p;
  p.set_job_id(std::string(job_id));
  p.set_run_status(view.run_status);
  p.set_papers_total(view.papers_total);
  p.set_papers_done(view.papers_done);
  p.set_fraction(view.fraction);
  p.set_state(view.state);
  p.set_message(view.message);
  return p;
}

v1::RescoreResponse RescoreResponseOf(const RescoreResult& result,
                                      bool dry_run) {
  v1::RescoreResponse resp;
  resp.set_dry_run(dry_run);
  resp.set_papers(result.papers);
  resp.set_estimated_prompt_tokens(result.estimated_prompt_tokens);
  for (const std::string& id : result.job_ids) resp.add_job_ids(id);
  for (const std::string& d : result.dates) resp.add_dates(d);
  if (!result.job_ids.empty()) resp.set_job_id(result.job_ids.front());
  return resp;
}

const char* FormatExt(v1::DigestFormat format) {
  switch (format) {
    case v1::DIGEST_FORMAT_JSON:
      return "json";
    case v1::DIGEST_FORMAT_HTML:
      return "html";
    default:
      return "md";
  }
}

v1::Digest DigestOf(const std::string& profile, const std::string& date,
                    const VersionMeta& version, v1::DigestFormat format,
                    std::string content) {
  v1::Digest digest;
  digest.set_profile(profile);
  digest.set_date(date);
  digest.set_version(version.version);
  digest.set_format(format == v1::DIGEST_FORMAT_UNSPECIFIED
                        ? v1::DIGEST_FORMAT_MARKDOWN
                        : format);
  digest.set_content(std::move(content));
  digest.set_run_id(version.run_id);
  digest.set_relevant_papers(version.relevant_papers);
  return digest;
}

v1::DigestSummary SummaryOf(const std::string& profile, const std::string& date,
                            const std::vector<VersionMeta>& versions) {
  const VersionMeta& latest = versions.back();
  v1::DigestSummary s;
  s.set_profile(profile);
  s.set_date(date);
  s.set_version(latest.version);
  s.set_run_id(latest.run_id);
  s.set_relevant_papers(latest.relevant_papers);
  s.set_versions(static_cast<int>(versions.size()));
  s.set_published_at(latest.published_at);
  return s;
}

v1::PaperFate PaperFateOf(const FinalFate& fate, const std::string& run_id,
                          bool published) {
  v1::PaperFate out;
  out.set_run_id(run_id);
  out.set_arxiv_id(fate.arxiv_id);
  out.set_stage(fate.stage);
  out.set_dropped(fate.dropped);
  out.set_reason(fate.reason);
  if (fate.best_h_index) out.set_best_h_index(*fate.best_h_index);
  out.set_in_digest(fate.in_digest);
  out.set_rank(fate.rank);
  out.set_published(published);
  out.set_recorded(fate.recorded);
  return out;
}

}  // namespace arxiv_digest::api
