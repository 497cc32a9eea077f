// What the optional lexical pre-filter ([SELECTION] prefilter_keep_share)
// saves, and what it costs, on the two real bundled days: for each share,
// the LLM calls and tokens the scorer would spend, and how many of the
// papers GPT-4o selected in the Python tool's real digest of that day
// (tests/fixtures/reference/digest-<day>.md) would still reach the LLM.
//
// Everything runs in process through the scorer's own code: the day's feeds
// through the fetcher's parser and selection with the shipped configs/, the
// run-wide threshold from PrefilterThreshold, and ScorePapers with the real
// LLM backend (prompt building, re-asks) in batches of abstract_batch_size
// in stream order, as one replica reads them. The LLM is replaced by the
// test stub's reply and token functions (tokens = ceil(bytes / 4), the same
// estimate the end-to-end stub reports).
//
//   bench_prefilter [--days 2025-04-08,2025-04-15]
//                   [--shares 1,0.7,0.5,0.4,0.3,0.2] [--out DIR]
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bench/in_process_stub.h"
#include "bench/report.h"
#include "bench/sample_day.h"
#include "lib/config/config.h"
#include "services/fetcher/logic/paper_selection.h"
#include "services/scorer/logic/lexical_scorer.h"
#include "services/scorer/logic/prefilter.h"
#include "services/scorer/logic/scoring_backend.h"
#include "tests/support/digest_expectations.h"
#include "tests/support/openai_stub.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest::bench {
namespace {

namespace fs = std::filesystem;

struct ShareResult {
  double share = 1;
  int threshold = 0;
  int64_t sent = 0;  // papers that reach the LLM
  int64_t calls = 0;
  TokenUsage usage;
  int64_t reference_kept = 0;
  // The same survivors packed into full batches before the LLM (what a
  // run-level pre-filter would send): calls and tokens.
  int64_t rebatched_calls = 0;
  TokenUsage rebatched_usage;
};

ShareResult RunShare(const std::vector<Paper>& papers, const Config& config,
                     const LexicalScorer& lexical,
                     const std::set<std::string>& reference, double share) {
  ShareResult r;
  r.share = share;
  std::vector<int> relevances;
  for (const Paper& p : papers) {
    relevances.push_back(lexical.ScorePaper(p).relevance);
  }
  r.threshold = share >= 1 ? 0 : PrefilterThreshold(relevances, share);
  Prefilter filter(lexical, r.threshold);
  PrefilterFn prefilter;
  if (share < 1) {
    prefilter = [&filter](const Paper& p) { return filter.Apply(p); };
  }
  InProcessStub llm;
  LlmScoringBackend backend(config.prompts, config.selection.model,
                            config.selection.abstract_retry, llm,
                            config.selection.cache_friendly_prompt);
  const size_t batch = config.selection.abstract_batch_size;
  std::vector<Paper> survivors;
  for (size_t i = 0; i < papers.size(); i += batch) {
    std::vector<Paper> chunk(
        papers.begin() + i,
        papers.begin() + std::min(papers.size(), i + batch));
    absl::StatusOr<BatchOutcome> out =
        ScorePapers(chunk, config, backend, nullptr, prefilter);
    if (!out.ok()) {
      std::fprintf(stderr, "ScorePapers: %s\n",
                   std::string(out.status().message()).c_str());
      std::exit(1);
    }
    for (size_t k = 0; k < out->scores.size(); ++k) {
      const Score& s = out->scores[k];
      if (s.prefiltered) continue;
      survivors.push_back(chunk[k]);
      // Author matches skip the LLM but are kept for the digest.
      if (!s.author_match) ++r.sent;
      if (reference.count(s.arxiv_id)) ++r.reference_kept;
    }
  }
  r.calls = llm.calls;
  r.usage = llm.usage;

  InProcessStub packed_llm;
  LlmScoringBackend packed(config.prompts, config.selection.model,
                           config.selection.abstract_retry, packed_llm,
                           config.selection.cache_friendly_prompt);
  for (size_t i = 0; i < survivors.size(); i += batch) {
    std::vector<Paper> chunk(
        survivors.begin() + i,
        survivors.begin() + std::min(survivors.size(), i + batch));
    if (!ScorePapers(chunk, config, packed).ok()) std::exit(1);
  }
  r.rebatched_calls = packed_llm.calls;
  r.rebatched_usage = packed_llm.usage;
  return r;
}

int Main(int argc, char** argv) {
  std::vector<std::string> days = absl::StrSplit(
      FlagValue(argc, argv, "--days", "2025-04-08,2025-04-15"), ',');
  std::vector<double> shares;
  for (absl::string_view s : absl::StrSplit(
           FlagValue(argc, argv, "--shares", "1,0.7,0.5,0.4,0.3,0.2"), ',')) {
    double v = 0;
    if (!absl::SimpleAtod(s, &v)) return 2;
    shares.push_back(v);
  }
  absl::StatusOr<Config> config =
      LoadConfig(ARXIV_DIGEST_SOURCE_DIR "/configs");
  if (!config.ok()) {
    std::fprintf(stderr, "configs: %s\n",
                 std::string(config.status().message()).c_str());
    return 1;
  }
  const LexicalScorer lexical(config->prompts.topics);

  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  WriteBenchmarkHeader(json, "prefilter");
  json.Key("days");
  json.StartArray();
  Table table({"day", "keep share", "threshold", "papers to LLM", "LLM calls",
               "prompt tokens", "completion tokens", "tokens saved",
               "reference picks kept", "calls / tokens saved if re-batched"});
  for (const std::string& day : days) {
    const Selection selection = SelectSampleDay(day, *config);
    const std::vector<std::string> reference_order =
        testing::MarkdownPaperOrder(testing::ReadFileOrEmpty(
            absl::StrCat(ARXIV_DIGEST_SOURCE_DIR,
                         "/tests/fixtures/reference/digest-", day, ".md")));
    // The reference came from a differently configured run: only its picks
    // that this day's selection contains can be kept or lost.
    std::set<std::string> selected_ids;
    for (const Paper& p : selection.papers) selected_ids.insert(p.arxiv_id);
    std::set<std::string> reference;
    for (const std::string& id : reference_order) {
      if (selected_ids.count(id)) reference.insert(id);
    }
    json.StartObject();
    json.Key("day");
    json.String(day.c_str());
    json.Key("papers_to_score");
    json.Int64(static_cast<int64_t>(selection.papers.size()));
    json.Key("reference_picks");
    json.Int64(static_cast<int64_t>(reference_order.size()));
    json.Key("reference_picks_in_selection");
    json.Int64(static_cast<int64_t>(reference.size()));
    json.Key("shares");
    json.StartArray();
    int64_t full_tokens = 0;
    for (double share : shares) {
      const ShareResult r =
          RunShare(selection.papers, *config, lexical, reference, share);
      const int64_t tokens = r.usage.prompt_tokens + r.usage.completion_tokens;
      if (share >= 1) full_tokens = tokens;
      const double saved =
          full_tokens > 0 ? 1.0 - static_cast<double>(tokens) / full_tokens : 0;
      const int64_t packed_tokens =
          r.rebatched_usage.prompt_tokens + r.rebatched_usage.completion_tokens;
      const double packed_saved =
          full_tokens > 0
              ? 1.0 - static_cast<double>(packed_tokens) / full_tokens
              : 0;
      table.AddRow({day, share >= 1 ? "off (1.0)" : Fixed(share, 2),
                    absl::StrCat(r.threshold),
                    absl::StrCat(r.sent, " / ", selection.papers.size()),
                    absl::StrCat(r.calls), absl::StrCat(r.usage.prompt_tokens),
                    absl::StrCat(r.usage.completion_tokens),
                    Fixed(100 * saved, 1) + "%",
                    absl::StrCat(r.reference_kept, " / ", reference.size()),
                    absl::StrCat(r.rebatched_calls, " / ",
                                 Fixed(100 * packed_saved, 1), "%")});
      json.StartObject();
      json.Key("keep_share");
      json.Double(share);
      json.Key("threshold");
      json.Int(r.threshold);
      json.Key("papers_to_llm");
      json.Int64(r.sent);
      json.Key("llm_calls");
      json.Int64(r.calls);
      json.Key("prompt_tokens");
      json.Int64(r.usage.prompt_tokens);
      json.Key("completion_tokens");
      json.Int64(r.usage.completion_tokens);
      json.Key("tokens_saved_share");
      json.Double(saved);
      json.Key("reference_picks_kept");
      json.Int64(r.reference_kept);
      json.Key("rebatched_llm_calls");
      json.Int64(r.rebatched_calls);
      json.Key("rebatched_tokens_saved_share");
      json.Double(packed_saved);
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
    std::printf(
        "%s: %zu papers to score; reference digest picks %zu papers, "
        "%zu of them in this selection\n",
        day.c_str(), selection.papers.size(), reference_order.size(),
        reference.size());
  }
  json.EndArray();
  json.EndObject();
  std::printf("\n### Lexical pre-filter (shipped configs/, batch %d)\n\n%s",
              config->selection.abstract_batch_size, table.Markdown().c_str());
  WriteJsonResult(argc, argv, "prefilter", buffer);
  return 0;
}

}  // namespace
}  // namespace arxiv_digest::bench

int main(int argc, char** argv) {
  return arxiv_digest::bench::Main(argc, argv);
}
