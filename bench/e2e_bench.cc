// End-to-end time of a whole real day (fetch -> score -> publish) with the
// OpenAI-compatible stub at 0 ms and at a realistic latency, for 1, 2, 4 and
// 8 scorer replicas, against the Python tool's sequential design: one call
// per abstract_batch_size papers, one after the other, so its time is
// calls x latency. Also the peak memory of every service during the day.
//
//   bench_e2e [--day 2025-04-08] [--replicas 1,2,4,8] [--latency-ms 0,2000]
//             [--max-in-flight 4] [--repeat-0ms 5] [--out DIR]
// 0 ms configurations run --repeat-0ms times and report the median run.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/pipeline_harness.h"
#include "bench/report.h"

namespace arxiv_digest::bench {
namespace {

std::string Mib(int64_t kb) { return Fixed(kb / 1024.0, 1); }

int Main(int argc, char** argv) {
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
                 "papers/s", "LLM calls", "max concurrent", "vs Python tool"});
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
        {"Python tool (sequential)", "1 x 1",
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
