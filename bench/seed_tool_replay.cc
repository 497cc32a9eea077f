#include "bench/seed_tool_replay.h"

#include <algorithm>
#include <map>
#include <optional>

#include "lib/prompt/prompt_builder.h"
#include "lib/prompt/seed_prompt.h"
#include "lib/prompt/title_prompt.h"
#include "services/scorer/logic/adaptive_batch.h"
#include "services/scorer/logic/reply_parser.h"
#include "services/scorer/logic/title_reply_parser.h"

namespace arxiv_digest::bench {
namespace {

int SeedBatchSize(int base, size_t papers, const SelectionConfig& sel) {
  return AdaptiveBatchSize(base, papers, sel.adaptive_batch_size,
                           sel.adaptive_threshold);
}

// filter_papers_by_title: the kept papers; failed batches recurse with
// retry - 1 and are lost once retries run out (we pass them on instead, but
// the stub never fails, so the bill is the same).
std::vector<Paper> TitleStage(const std::vector<Paper>& papers,
                              const Config& config, LlmClient& llm, int retry,
                              SeedReplayResult& r) {
  std::vector<Paper> kept, invalid;
  const int size = SeedBatchSize(config.selection.title_batch_size,
                                 papers.size(), config.selection);
  for (const std::vector<Paper>& batch : SplitIntoBatches(papers, size)) {
    std::vector<std::string> titles;
    for (const Paper& p : batch) titles.push_back(PaperToTitleString(p));
    absl::StatusOr<ChatCompletion> c =
        llm.Complete(BuildTitlePrompt(config.prompts, titles));
    if (!c.ok()) {
      invalid.insert(invalid.end(), batch.begin(), batch.end());
      continue;
    }
    ++r.title_calls;
    r.title_usage += c->usage;
    absl::StatusOr<TitleReply> reply = ParseTitleReply(c->content);
    if (!reply.ok()) {
      invalid.insert(invalid.end(), batch.begin(), batch.end());
      continue;
    }
    const std::set<std::string> drop(reply->ids.begin(), reply->ids.end());
    for (const Paper& p : batch) {
      if (!drop.count(p.arxiv_id)) kept.push_back(p);
    }
  }
  if (!invalid.empty() && retry > 0) {
    std::vector<Paper> again = TitleStage(invalid, config, llm, retry - 1, r);
    kept.insert(kept.end(), again.begin(), again.end());
  }
  return kept;
}

// filter_papers_by_abstract: ids missing from a reply are retried in new
// batches sized by their own count.
void AbstractStage(const std::vector<Paper>& papers, const Config& config,
                   LlmClient& llm, int retry, SeedReplayResult& r) {
  const int size = SeedBatchSize(config.selection.abstract_batch_size,
                                 papers.size(), config.selection);
  std::vector<Paper> invalid;
  for (const std::vector<Paper>& batch : SplitIntoBatches(papers, size)) {
    std::vector<std::string> strings;
    for (const Paper& p : batch) {
      strings.push_back(PaperToPromptString(p));
      r.reached_abstract.insert(p.arxiv_id);
    }
    absl::StatusOr<ChatCompletion> c =
        llm.Complete(BuildSeedScoringPrompt(config.prompts, strings));
    if (!c.ok()) {
      invalid.insert(invalid.end(), batch.begin(), batch.end());
      continue;
    }
    ++r.abstract_calls;
    r.abstract_usage += c->usage;
    std::set<std::string> answered;
    for (const Score& s : ParseScoringReply(c->content).scores) {
      answered.insert(s.arxiv_id);
    }
    for (const Paper& p : batch) {
      if (!answered.count(p.arxiv_id)) invalid.push_back(p);
    }
  }
  if (!invalid.empty() && retry > 0) {
    AbstractStage(invalid, config, llm, retry - 1, r);
  }
}

}  // namespace

SeedReplayResult ReplaySeedTool(const std::vector<Paper>& papers,
                                const Config& config, LlmClient& llm) {
  SeedReplayResult r;
  std::vector<Paper> left = papers;
  if (config.selection.run_title_filter) {
    left = TitleStage(left, config, llm, config.selection.title_retry, r);
  }
  if (config.selection.run_abstract_filter) {
    AbstractStage(left, config, llm, config.selection.abstract_retry, r);
  }
  return r;
}

SeedSchedule SeedToolSchedule(int64_t title_calls, int64_t abstract_calls,
                              std::chrono::milliseconds latency,
                              int limit_per_minute,
                              std::chrono::milliseconds poll) {
  using std::chrono::milliseconds;
  SeedSchedule s;
  s.title = latency * title_calls;
  const milliseconds step = std::max(poll, milliseconds(1));
  milliseconds now{0};  // from the first abstract call
  std::optional<milliseconds> window_start;
  int in_window = 0;
  for (int64_t call = 0; call < abstract_calls; ++call) {
    if (limit_per_minute <= 0) {
      now += latency;
      continue;
    }
    while (true) {
      // "now - start_query_time > timedelta(minutes=1)": strictly more.
      if (!window_start || now - *window_start > std::chrono::minutes(1)) {
        window_start = now;
        in_window = 0;
        ++s.windows;
      }
      if (in_window < limit_per_minute) {
        ++in_window;
        now += latency;
        break;
      }
      now += step;
      s.waited += step;
    }
  }
  s.abstract = now;
  return s;
}

}  // namespace arxiv_digest::bench
