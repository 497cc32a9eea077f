// End-to-end time of a whole real day (fetch -> score -> publish) with the
// OpenAI-compatible stub at 0 ms and at a realistic latency, for 1, 2, 4 and
// 8 scorer replicas, against the Python tool's sequential design with its
// selection stages off: one call per abstract_batch_size papers, one after
// the other, so its time is calls x latency (its real flow, with its title
// stage and adaptive batches, is --seed-stages). Also the peak memory of every
// service during the day.
//
//   bench_e2e [--day 2025-04-08] [--replicas 1,2,4,8] [--latency-ms 0,2000]
//             [--max-in-flight 4] [--repeat-0ms 5] [--out DIR]
// 0 ms configurations run --repeat-0ms times and report the median run.
//
//   bench_e2e --seed-stages [--limit-per-minute 10] [--day 2025-04-08]
//             [--replicas 1,2] [--latency-ms 2000] [--max-in-flight 4]
// The same day with the seed tool's selection settings (title stage,
// abstract_batch_size 4, adaptive sizes; PipelineOptions::seed_stages), once
// without a rate limit and once with limit_per_minute = N, against the seed
// tool's own flow on the same stub answers: its calls counted by
// ReplaySeedTool, timed by SeedToolSchedule (sequential calls, its limiter
// on the abstract calls only). Writes bench/results/e2e_seed.json.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/in_process_stub.h"
#include "bench/pipeline_harness.h"
#include "bench/report.h"
#include "bench/sample_day.h"
#include "bench/seed_tool_replay.h"
#include "lib/config/config.h"
#include "services/fetcher/logic/paper_selection.h"
#include "tests/support/openai_stub.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest::bench {
namespace {

std::string Mib(int64_t kb) { return Fixed(kb / 1024.0, 1); }

// The seed tool's calls on this day: the papers the services select (the
// harness's own config.ini, loaded back), through ReplaySeedTool.
struct SeedReplay {
  size_t papers = 0;
  SeedReplayResult result;
};

SeedReplay ReplayDay(const PipelineOptions& options) {
  const std::string dir = testing::TempDir("bench-seed-config-");
  WritePipelineConfigs(dir + "/configs", dir + "/out", options);
  absl::StatusOr<Config> config = LoadConfig(dir + "/configs");
  testing::RemoveTree(dir);
  if (!config.ok()) {
    std::fprintf(stderr, "seed config: %s\n",
                 std::string(config.status().message()).c_str());
    std::exit(1);
  }
  const std::vector<Paper> papers =
      SelectSampleDay(options.day, *config).papers;
  InProcessStub llm;  // the stub server's answers, in process
  return {papers.size(), ReplaySeedTool(papers, *config, llm)};
}

int SeedMain(int argc, char** argv) {
  const std::string day = FlagValue(argc, argv, "--day", "2025-04-08");
  const std::vector<int> replicas =
      IntList(FlagValue(argc, argv, "--replicas", "1,2"));
  const std::vector<int> latencies =
      IntList(FlagValue(argc, argv, "--latency-ms", "2000"));
  const int max_in_flight =
      IntList(FlagValue(argc, argv, "--max-in-flight", "4")).at(0);
  const int limit =
      IntList(FlagValue(argc, argv, "--limit-per-minute", "10")).at(0);

  PipelineOptions base;
  base.day = day;
  base.max_in_flight = max_in_flight;
  base.seed_stages = true;
  const SeedReplay seed = ReplayDay(base);
  const SeedReplayResult& sr = seed.result;
  const int64_t seed_prompt_tokens =
      sr.title_usage.prompt_tokens + sr.abstract_usage.prompt_tokens;

  std::printf(
      "machine: %s\nday: %s, seed stages (title_batch_size 8, "
      "abstract_batch_size 4, adaptive threshold 32), max_in_flight %d per "
      "replica\nseed tool on the same stub answers (ReplaySeedTool): %zu "
      "papers, %lld title calls + %lld abstract calls, %lld prompt tokens\n",
      MachineDescription().c_str(), day.c_str(), max_in_flight, seed.papers,
      static_cast<long long>(sr.title_calls),
      static_cast<long long>(sr.abstract_calls),
      static_cast<long long>(seed_prompt_tokens));
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  WriteBenchmarkHeader(json, "e2e_seed");
  json.Key("day");
  json.String(day.c_str());
  json.Key("settings");
  json.String(
      "run_title_filter=true title_batch_size=8 title_retry=3 "
      "abstract_batch_size=4 abstract_retry=3 adaptive_batch_size=true "
      "adaptive_threshold=32 run_author_match=false h_cutoff=0");
  json.Key("max_in_flight");
  json.Int(max_in_flight);
  json.Key("seed_tool");
  json.StartObject();
  json.Key("papers");
  json.Int64(static_cast<int64_t>(seed.papers));
  json.Key("title_calls");
  json.Int64(sr.title_calls);
  json.Key("abstract_calls");
  json.Int64(sr.abstract_calls);
  json.Key("prompt_tokens");
  json.Int64(seed_prompt_tokens);
  json.Key("limit_per_minute");
  json.Int(limit);
  json.Key("limit_applies_to");
  json.String("abstract calls only");
  json.EndObject();
  json.Key("runs");
  json.StartArray();

  int failures = 0;
  for (int latency : latencies) {
    const auto lat = std::chrono::milliseconds(latency);
    const SeedSchedule free_run =
        SeedToolSchedule(sr.title_calls, sr.abstract_calls, lat, 0);
    const SeedSchedule limited =
        SeedToolSchedule(sr.title_calls, sr.abstract_calls, lat, limit);
    const double free_s = free_run.total().count() / 1000.0;
    const double limited_s = limited.total().count() / 1000.0;
    Table table({"design", "replicas x slots", "limit_per_minute",
                 "end-to-end s", "scoring s", "LLM calls (title)",
                 "max concurrent", "prompt tokens",
                 absl::StrCat("vs seed tool, limit ", limit),
                 "vs seed tool, no limit"});
    for (int n : replicas) {
      for (int run_limit : {0, limit}) {
        PipelineOptions options = base;
        options.replicas = n;
        options.latency = lat;
        options.limit_per_minute = run_limit;
        std::fprintf(stderr, "running %d ms x %d replicas, limit %d...\n",
                     latency, n, run_limit);
        const PipelineResult r = RunPipeline(options);
        const std::string shape = absl::StrCat(n, " x ", max_in_flight);
        const std::string limit_cell =
            run_limit > 0 ? absl::StrCat(run_limit, " (all calls)") : "off";
        if (!r.ok()) {
          ++failures;
          table.AddRow(
              {"arxiv-digest", shape, limit_cell, "FAILED: " + r.error});
          continue;
        }
        auto ratio = [&](double seed_s) {
          return latency > 0 && r.e2e_seconds > 0
                     ? Fixed(seed_s / r.e2e_seconds, 1) + "x"
                     : "n/a";
        };
        table.AddRow({"arxiv-digest", shape, limit_cell,
                      Fixed(r.e2e_seconds, 2), Fixed(r.scoring_seconds, 2),
                      absl::StrCat(r.llm_calls, " (", r.title_calls, ")"),
                      absl::StrCat(r.max_concurrency),
                      absl::StrCat(r.prompt_tokens), ratio(limited_s),
                      ratio(free_s)});
        json.StartObject();
        json.Key("latency_ms");
        json.Int(latency);
        json.Key("limit_per_minute");
        json.Int(run_limit);
        WriteRunBasics(json, n, max_in_flight, r);
        json.Key("title_calls");
        json.Int64(r.title_calls);
        json.Key("relevant_papers");
        json.Int64(r.relevant_papers);
        json.Key("max_concurrency");
        json.Int(r.max_concurrency);
        json.Key("prompt_tokens");
        json.Int64(r.prompt_tokens);
        json.Key("seed_tool_seconds_limited");
        json.Double(limited_s);
        json.Key("seed_tool_seconds_no_limit");
        json.Double(free_s);
        json.EndObject();
      }
    }
    const std::string calls = absl::StrCat(sr.title_calls + sr.abstract_calls,
                                           " (", sr.title_calls, ")");
    table.AddRow({"seed tool (sequential)", "1 x 1",
                  absl::StrCat(limit, " (abstract calls)"), Fixed(limited_s, 2),
                  "", calls, "1", absl::StrCat(seed_prompt_tokens), "1.0x",
                  ""});
    table.AddRow({"seed tool (sequential)", "1 x 1", "off", Fixed(free_s, 2),
                  "", calls, "1", absl::StrCat(seed_prompt_tokens), "",
                  "1.0x"});
    std::printf(
        "\n### Seed stages, LLM latency %d ms\n\n%s\nSeed tool time: %lld "
        "title calls x %.1f s = %.1f s, then %lld abstract calls x %.1f s = "
        "%.1f s without a limit; with limit_per_minute = %d its limiter opens "
        "a one-minute window at a call, allows %d calls in it, and polls "
        "every 1 s until more than 60 s have passed: %d windows, %.1f s of "
        "waiting, so the abstract stage takes %.1f s and the day %.1f s.\n",
        latency, table.Markdown().c_str(),
        static_cast<long long>(sr.title_calls), latency / 1000.0,
        free_run.title.count() / 1000.0,
        static_cast<long long>(sr.abstract_calls), latency / 1000.0,
        free_run.abstract.count() / 1000.0, limit, limit, limited.windows,
        limited.waited.count() / 1000.0, limited.abstract.count() / 1000.0,
        limited_s);
  }
  json.EndArray();
  json.EndObject();
  WriteJsonResult(argc, argv, "e2e_seed", buffer);
  return failures == 0 ? 0 : 1;
}

int Main(int argc, char** argv) {
  if (HasFlag(argc, argv, "--seed-stages")) return SeedMain(argc, argv);
  const std::string day = FlagValue(argc, argv, "--day", "2025-04-08");
  const std::vector<int> replicas =
      IntList(FlagValue(argc, argv, "--replicas", "1,2,4,8"));
  const std::vector<int> latencies =
      IntList(FlagValue(argc, argv, "--latency-ms", "0,2000"));
  const int max_in_flight =
      IntList(FlagValue(argc, argv, "--max-in-flight", "4")).at(0);
  const int batch = 5;  // the shipped abstract_batch_size
  const int repeat_0ms =
      IntList(FlagValue(argc, argv, "--repeat-0ms", "5")).at(0);

  std::printf(
      "machine: %s\nday: %s, abstract_batch_size %d, max_in_flight %d"
      " per replica\n",
      MachineDescription().c_str(), day.c_str(), batch, max_in_flight);
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  WriteBenchmarkHeader(json, "e2e");
  json.Key("day");
  json.String(day.c_str());
  json.Key("abstract_batch_size");
  json.Int(batch);
  json.Key("max_in_flight");
  json.Int(max_in_flight);
  json.Key("runs");
  json.StartArray();

  Table memory({"latency", "replicas", "fetcher MiB", "scorer MiB (max)",
                "publisher MiB", "redis-server MiB"});
  int failures = 0;
  for (int latency : latencies) {
    Table table({"design", "replicas x slots", "end-to-end s", "scoring s",
                 "papers/s", "LLM calls", "max concurrent",
                 "vs Python tool, stages off"});
    int64_t papers = 0;
    for (int n : replicas) {
      PipelineOptions options;
      options.day = day;
      options.replicas = n;
      options.max_in_flight = max_in_flight;
      options.batch_size = batch;
      options.latency = std::chrono::milliseconds(latency);
      std::fprintf(stderr, "running %d ms x %d replicas...\n", latency, n);
      std::vector<double> samples;
      PipelineResult r =
          RunPipelineMedian(options, latency == 0 ? repeat_0ms : 1, &samples);
      if (!r.ok()) {
        ++failures;
        table.AddRow({"arxiv-digest", absl::StrCat(n, " x ", max_in_flight),
                      "FAILED: " + r.error});
        continue;
      }
      papers = r.papers_to_score;
      const int64_t python_calls = (r.papers_to_score + batch - 1) / batch;
      const double python_s = python_calls * latency / 1000.0;
      const std::string speedup =
          latency > 0 ? Fixed(python_s / r.e2e_seconds, 1) + "x" : "n/a";
      table.AddRow({"arxiv-digest", absl::StrCat(n, " x ", max_in_flight),
                    Fixed(r.e2e_seconds, 2), Fixed(r.scoring_seconds, 2),
                    Fixed(r.papers_per_second(), 0), absl::StrCat(r.llm_calls),
                    absl::StrCat(r.max_concurrency), speedup});
      memory.AddRow({absl::StrCat(latency, " ms"), absl::StrCat(n),
                     Mib(r.memory.fetcher_kb), Mib(r.memory.scorer_max_kb()),
                     Mib(r.memory.publisher_kb), Mib(r.memory.redis_kb)});
      json.StartObject();
      json.Key("latency_ms");
      json.Int(latency);
      json.Key("replicas");
      json.Int(n);
      json.Key("max_in_flight");
      json.Int(max_in_flight);
      json.Key("total_items");
      json.Int64(r.total_items);
      json.Key("papers_to_score");
      json.Int64(r.papers_to_score);
      json.Key("relevant_papers");
      json.Int64(r.relevant_papers);
      json.Key("e2e_seconds");
      json.Double(r.e2e_seconds);
      json.Key("scoring_seconds_samples");
      json.StartArray();
      for (double s : samples) json.Double(s);
      json.EndArray();
      json.Key("fetch_seconds");
      json.Double(r.fetch_seconds);
      json.Key("scoring_seconds");
      json.Double(r.scoring_seconds);
      json.Key("papers_per_second");
      json.Double(r.papers_per_second());
      json.Key("llm_calls");
      json.Int64(r.llm_calls);
      json.Key("max_concurrency");
      json.Int(r.max_concurrency);
      json.Key("prompt_tokens");
      json.Int64(r.prompt_tokens);
      json.Key("completion_tokens");
      json.Int64(r.completion_tokens);
      json.Key("python_tool_calls");
      json.Int64(python_calls);
      json.Key("python_tool_seconds");
      json.Double(python_s);
      json.Key("peak_rss_kb");
      json.StartObject();
      json.Key("fetcher");
      json.Int64(r.memory.fetcher_kb);
      json.Key("scorers");
      json.StartArray();
      for (int64_t kb : r.memory.scorer_kb) json.Int64(kb);
      json.EndArray();
      json.Key("publisher");
      json.Int64(r.memory.publisher_kb);
      json.Key("redis_server");
      json.Int64(r.memory.redis_kb);
      json.EndObject();
      json.EndObject();
    }
    const int64_t python_calls = (papers + batch - 1) / batch;
    table.AddRow(
        {"Python tool, stages off (sequential)", "1 x 1",
         latency > 0 ? Fixed(python_calls * latency / 1000.0, 2) : "n/a", "",
         "", absl::StrCat(python_calls), "1", "1.0x"});
    std::printf("\n### LLM latency %d ms: %lld papers to score%s\n\n%s",
                latency, static_cast<long long>(papers),
                latency == 0
                    ? absl::StrCat(" (median of ", repeat_0ms, " runs)").c_str()
                    : "",
                table.Markdown().c_str());
  }
  json.EndArray();
  json.EndObject();
  std::printf("\n### Peak memory (VmHWM; fetcher: ru_maxrss)\n\n%s",
              memory.Markdown().c_str());
  WriteJsonResult(argc, argv, "e2e", buffer);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace arxiv_digest::bench

int main(int argc, char** argv) {
  return arxiv_digest::bench::Main(argc, argv);
}
