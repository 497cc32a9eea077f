// The seed tool's LLM stages as that tool runs them (DaizeDong
// filter_gpt.filter_by_gpt at the commit that wrote the reference digests),
// replayed against any LlmClient so that its token bill and ours can be
// compared on the same answers. What it does, and we do differently:
//   - the whole day is one list: batches never straddle a stream read;
//   - each stage's adaptive size is computed from the papers entering it;
//   - a title batch whose call or reply fails is retried whole, up to
//     title_retry times; abstract ids missing from a reply are retried in
//     new batches, up to abstract_retry times.
// Prompts are the seed tool's (lib/prompt's seed builders, tested against
// its format). Bench-only: the scorer never calls this.
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "lib/config/config.h"
#include "lib/core/paper.h"
#include "services/scorer/logic/scoring_backend.h"

namespace arxiv_digest::bench {

struct SeedReplayResult {
  int64_t title_calls = 0, abstract_calls = 0;
  TokenUsage title_usage, abstract_usage;
  std::set<std::string> reached_abstract;  // ids sent to the abstract stage
};

// Runs the title stage (when selection.run_title_filter) and the abstract
// stage over `papers` with `config`'s sizes and retries.
SeedReplayResult ReplaySeedTool(const std::vector<Paper>& papers,
                                const Config& config, LlmClient& llm);

// The seed tool's wall time for its LLM calls, all made one at a time, each
// taking `latency`: first the title calls, unthrottled, then the abstract
// calls through its limiter (filter_gpt.call_chatgpt, limit_per_minute
// passed to filter_papers_by_abstract only). The limiter opens a one-minute
// window at the first call, allows `limit_per_minute` calls in it, and a
// caller over the limit sleeps `poll` (1 s) at a time until more than a
// minute has passed since the window opened; the next call opens a new
// window. limit_per_minute <= 0 = no limit. Pure arithmetic, no clock.
struct SeedSchedule {
  std::chrono::milliseconds title{0};     // title_calls x latency
  std::chrono::milliseconds abstract{0};  // calls plus limiter waits
  std::chrono::milliseconds waited{0};    // of which: limiter sleeps
  int windows = 0;                        // one-minute windows opened
  std::chrono::milliseconds total() const { return title + abstract; }
};
SeedSchedule SeedToolSchedule(
    int64_t title_calls, int64_t abstract_calls,
    std::chrono::milliseconds latency, int limit_per_minute,
    std::chrono::milliseconds poll = std::chrono::seconds(1));

}  // namespace arxiv_digest::bench
