#include "services/publisher/logic/digest_assembly.h"

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/config/profiles.h"
#include "lib/contract/run_manifest.h"
#include "lib/json/json_util.h"
#include "lib/prompt/prompt_builder.h"
#include "services/publisher/logic/html_renderer.h"
#include "services/publisher/logic/json_renderer.h"
#include "services/publisher/logic/markdown_renderer.h"
#include "services/publisher/logic/output_layout.h"
#include "services/publisher/logic/ranking.h"
#include "services/publisher/logic/selection_summary.h"

namespace arxiv_digest {
namespace {

// The run's scores joined with their papers, in arxiv id order; counts the
// unscored and pre-filtered ones. Returns only the papers that make the
// digest: a day's ~500 parsed papers held next to their stored JSON were
// the publisher's peak memory.
std::vector<ScoredPaper> JoinScores(const RunRecords& records,
                                    const Config& config,
                                    AssembledDigest& out) {
  std::vector<ScoredPaper> kept;
  for (const auto& [arxiv_id, score_json] : records.scores) {
    auto p = records.papers.find(arxiv_id);
    absl::StatusOr<Score> score = ScoreFromJson(score_json);
    absl::StatusOr<Paper> paper =
        p == records.papers.end() ? absl::StatusOr<Paper>(absl::NotFoundError(
                                        "score for a paper not in the run"))
                                  : PaperFromJson(p->second);
    if (!score.ok() || !paper.ok()) {
      out.skipped.push_back(SkippedRecord{
          arxiv_id, std::string(!score.ok() ? score.status().message()
                                            : paper.status().message())});
      continue;
    }
    if (score->prefiltered) {
      ++out.prefiltered_papers;
    } else if (!score->scored) {
      ++out.unscored_papers;
    }
    if (MakesTheDigest(*score, config.filtering)) {
      kept.push_back(ScoredPaper{*std::move(paper), *std::move(score)});
    }
  }
  return kept;
}

// The model the run's LLM calls were billed for: the one named by most
// usage records (ties: the one with more tokens, then by name). Empty when
// no record names one (records written before usage carried the model).
std::string CalledModel(const RunRecords& records) {
  std::map<std::string, std::pair<int64_t, int64_t>> calls;  // model -> n, tok
  for (const auto& [call_id, json] : records.usage) {
    absl::StatusOr<rapidjson::Document> doc = ParseJson(json);
    if (!doc.ok() || !doc->IsObject()) continue;
    std::optional<std::string> model = GetString(*doc, "model");
    if (!model.has_value() || model->empty()) continue;
    auto& [n, tokens] = calls[*model];
    ++n;
    tokens += GetInt(*doc, "prompt_tokens").value_or(0) +
              GetInt(*doc, "completion_tokens").value_or(0);
  }
  std::string best;
  std::pair<int64_t, int64_t> most{-1, -1};
  for (const auto& [model, counts] : calls) {
    if (counts > most) {
      most = counts;
      best = model;
    }
  }
  return best;
}

}  // namespace

std::string DigestFileName(const std::string& profile, const std::string& date,
                           int version, const std::string& format) {
  std::string dir = profile == kDefaultProfile ? "" : profile + "/";
  std::string stem = version > 1 ? absl::StrCat(date, ".v", version) : date;
  return absl::StrCat(dir, stem, ".", format);
}

absl::StatusOr<AssembledDigest> AssembleDigest(DigestInputs inputs) {
  if (inputs.config == nullptr) {
    return absl::InvalidArgumentError("AssembleDigest needs a config");
  }
  const PriceTable& prices =
      inputs.prices != nullptr ? *inputs.prices : DefaultPriceTable();
  const RunState& run = inputs.run;
  const Config config = WithTopicsOverride(*inputs.config, run.topics_override);

  AssembledDigest out;
  std::vector<ScoredPaper> kept = JoinScores(inputs.records, config, out);
  for (const auto& [call_id, json] : inputs.records.usage) {
    if (absl::StatusOr<TokenUsage> u = UsageFromJson(json); u.ok()) {
      out.usage += *u;
    }
  }
  // The header names the model actually called: the usage records' (what
  // was billed), else the scorers' (score entries, run.model), else the
  // profile's setting (a run without any LLM call).
  out.model = CalledModel(inputs.records);
  if (out.model.empty()) {
    out.model = run.model.empty() ? config.selection.model : run.model;
  }
  out.cost = ComputeCost(prices, out.model, out.usage);

  DigestHeader header;
  header.date = run.date;
  header.model = out.model;
  header.usage = out.usage;
  header.total_papers = run.total_papers;
  header.scanned_papers = run.scanned_papers;
  header.prices = &prices;

  PublishedDigest& d = out.digest;
  d.run_id = run.run_id;
  d.profile = inputs.profile;
  d.date = run.date;
  d.version = inputs.version;
  d.ranked = SelectAndRank(std::move(kept), config.filtering,
                           config.selection.author_match_score);
  if (!inputs.records.fates.empty()) {
    ScorerFates recorded = DecodeScorerFates(inputs.records.fates);
    for (auto& [arxiv_id, error] : recorded.invalid) {
      out.skipped.push_back(
          SkippedRecord{arxiv_id, absl::StrCat("fate: ", error)});
    }
    out.fates = CombineFates(inputs.records.papers, inputs.records.scores,
                             recorded, d.ranked, config.filtering);
  }
  header.selection_summary = SelectionSummary(out.fates);
  d.selection_summary = header.selection_summary;
  // Everything is read from the stored records (about 1 MB of paper JSON
  // for a day): freed before the texts are rendered and copied.
  inputs.records = RunRecords{};
  const std::string prompt_section = BuildDigestPromptSection(config.prompts);
  d.markdown = RenderDigestMarkdown(header, d.ranked, prompt_section);
  d.json = RenderDigestJson(d.ranked, out.fates);
  d.html = RenderDigestHtml(header, d.ranked, prompt_section);
  out.relevant_papers = static_cast<int64_t>(d.ranked.size());

  const OutputConfig& output = config.output;
  const std::pair<std::string, const std::string*> texts[] = {
      {"md", &d.markdown}, {"json", &d.json}, {"html", &d.html}};
  const bool write[] = {output.dump_md, output.dump_json, true};
  for (size_t i = 0; i < 3; ++i) {
    const std::string& format = texts[i].first;
    OutputFileNames names = DigestOutputFileNames(output.layout, d.profile,
                                                  d.date, d.version, format);
    out.outputs.push_back(DigestOutput{
        format, *texts[i].second, write[i], std::move(names.file_name),
        format + "_path", std::move(names.latest_copy)});
  }

  RunManifest published;
  published.status = run_status::kPublished;
  published.profile = d.profile;
  published.digest_version = d.version;
  published.relevant_papers = out.relevant_papers;
  published.unscored_papers = out.unscored_papers;
  published.prefiltered_papers = out.prefiltered_papers;
  published.tokens = out.usage;
  published.cost_usd = out.cost.prompt + out.cost.completion;
  out.manifest_fields =
      contract::EncodeManifest(published, contract::kPublishedFields);
  return out;
}

}  // namespace arxiv_digest
