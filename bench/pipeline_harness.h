// Runs one whole real arXiv day through the real service binaries (fetcher
// --once, N scorer replicas, publisher) on loopback, with a fresh
// redis-server, the day's RSS files served over HTTP and the
// OpenAI-compatible stub answering at a fixed latency, and measures it.
// Shared by the end-to-end, scaling and overhead benchmarks.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "bench/report.h"

namespace arxiv_digest::bench {

struct PipelineOptions {
  std::string day = "2025-04-08";  // a folder of data/sample/
  int replicas = 1;                // scorer processes
  int max_in_flight = 4;           // [SELECTION] max_in_flight per replica
  int batch_size = 5;              // [SELECTION] abstract_batch_size
  std::chrono::milliseconds latency{0};  // the stub's answer time per call
  std::chrono::seconds timeout{900};     // until the digest is published
  // The seed tool's selection settings (its config.ini in
  // tests/fixtures/anchor-configs/DaizeDong-ChatGPT-ArXiv-Paper-Assistant):
  // run_title_filter, title_batch_size 8, title_retry 3, abstract_batch_size
  // 4 (instead of batch_size), adaptive_batch_size with threshold 32.
  // h-index and author matches stay off (no Semantic Scholar here).
  bool seed_stages = false;
  // [SELECTION] limit_per_minute: LLM calls per minute across all replicas
  // and slots (title and abstract calls alike); 0 = no limit.
  int limit_per_minute = 0;
};

// Peak resident memory (VmHWM, or ru_maxrss for the fetcher), in KiB.
struct PeakMemory {
  int64_t fetcher_kb = 0;
  std::vector<int64_t> scorer_kb;  // one per replica
  int64_t publisher_kb = 0;
  int64_t redis_kb = 0;
  int64_t scorer_max_kb() const;
};

struct PipelineResult {
  std::string error;  // empty when the day was published
  int64_t total_items = 0;
  int64_t papers_to_score = 0;
  int64_t relevant_papers = 0;
  // Fetcher start to the manifest's status=published (polled every 2 ms).
  double e2e_seconds = 0;
  // The fetcher process from exec to exit.
  double fetch_seconds = 0;
  // First arxiv:papers entry to last arxiv:scores entry, from the stream
  // ids (Redis' own millisecond clock): the scoring phase only.
  double scoring_seconds = 0;
  int64_t llm_calls = 0;    // chat-completion requests the stub received
  int64_t title_calls = 0;  // of which title-stage prompts answered
  int max_concurrency = 0;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  PeakMemory memory;

  bool ok() const { return error.empty(); }
  // Papers scored per second during the scoring phase.
  double papers_per_second() const {
    return scoring_seconds > 0 ? papers_to_score / scoring_seconds : 0;
  }
};

PipelineResult RunPipeline(const PipelineOptions& options);

// Runs the day `repeats` times on fresh deployments and returns the run
// with the median scoring time: a 0 ms day takes a fraction of a second, so
// one run on a shared machine is mostly noise. `samples` gets every run's
// scoring seconds. A failed run is returned as soon as it happens.
PipelineResult RunPipelineMedian(const PipelineOptions& options, int repeats,
                                 std::vector<double>* samples = nullptr);

// Writes the configs/ folder a run uses into `dir` (the shipped prompt
// files and a config.ini from `options`, output to `out`) and returns `dir`.
// Exposed so a benchmark can load the very settings the services ran with.
std::string WritePipelineConfigs(const std::string& dir, const std::string& out,
                                 const PipelineOptions& options);

// "<source>/data/sample/<day>", the feeds of the bundled day.
std::string SampleDayDir(const std::string& day);

// The keys every per-run result object shares: replicas, max_in_flight,
// papers_to_score, scoring_seconds, papers_per_second, e2e_seconds,
// llm_calls.
void WriteRunBasics(JsonWriter& json, int replicas, int slots,
                    const PipelineResult& r);

}  // namespace arxiv_digest::bench
