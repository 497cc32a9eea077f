// The gRPC messages (arxiv_digest.proto) to and from the api's plain
// types: request arguments for logic/, and runs, progress, rescore results
// and digests for the responses. Kept out of logic/ so the use cases do not
// depend on the generated code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "arxiv_digest.pb.h"
#include "lib/core/paper.h"
#include "services/api/logic/digest_view.h"
#include "services/api/logic/fate_counts.h"
#include "services/api/logic/paper_explain.h"
#include "services/api/logic/request_validation.h"
#include "services/api/logic/rescore_plan.h"
#include "services/api/logic/run_view.h"

namespace arxiv_digest::api {

// The Rescore request's target and topics.
RescoreArgs RescoreArgsOf(const v1::RescoreRequest& req);

std::vector<std::string> CategoriesOf(const v1::TriggerRunRequest& req);

// Every manifest field a Run has; `scored` = HLEN of the run's scores
// hash. An empty profile reads as "default".
v1::Run RunOf(const RunManifest& manifest, int64_t scored);

// Run.stage_fates and unreadable_fates.
void SetStageFates(const FateSummary& summary, v1::Run& run);

v1::JobProgress JobProgressOf(std::string_view job_id,
                              const JobProgressView& view);

// The RPC's answer; job_id is the first job's.
v1::RescoreResponse RescoreResponseOf(const RescoreResult& result,
                                      bool dry_run);

// The stored rendering's extension: md (the default), json or html.
const char* FormatExt(v1::DigestFormat format);

// GetDigest's answer for one version with its text.
v1::Digest DigestOf(const std::string& profile, const std::string& date,
                    const VersionMeta& version, v1::DigestFormat format,
                    std::string content);

// ListDigests' entry for one date: its latest version and how many there
// are. `versions` is not empty.
v1::DigestSummary SummaryOf(const std::string& profile, const std::string& date,
                            const std::vector<VersionMeta>& versions);

// ExplainPaper's answer. `published`: the run has a digest.
v1::PaperFate PaperFateOf(const FinalFate& fate, const std::string& run_id,
                          bool published);

}  // namespace arxiv_digest::api
