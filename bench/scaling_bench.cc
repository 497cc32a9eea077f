// Issue 4's scaling check: with the stub answering every call in a fixed
// 200 ms, scoring throughput should grow near-linearly with the number of
// calls in flight (target >= 0.9 x N up to N = 8 on a 2-core machine).
// First N scorer replicas with max_in_flight = 1 (replicas = parallelism),
// then replicas x max_in_flight combinations. Throughput is papers per
// second over the scoring phase (first paper appended -> last score
// appended, from the stream ids), so the fixed fetch/publish cost does not
// hide the scaling; end-to-end seconds are shown too.
//
//   bench_scaling [--day 2025-04-08] [--latency-ms 200] [--replicas 1,2,4,8]
//                 [--combos 1x8,2x4,4x2,8x1,4x4,8x4] [--out DIR]
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bench/pipeline_harness.h"
#include "bench/report.h"

namespace arxiv_digest::bench {
namespace {

std::vector<std::pair<int, int>> Combos(const std::string& text) {
  std::vector<std::pair<int, int>> out;
  for (absl::string_view c : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    std::vector<absl::string_view> parts = absl::StrSplit(c, 'x');
    int r = 0, s = 0;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &r) ||
        !absl::SimpleAtoi(parts[1], &s)) {
      std::fprintf(stderr, "bad --combos entry: %s\n", std::string(c).c_str());
      std::exit(2);
    }
    out.emplace_back(r, s);
  }
  return out;
}

int Main(int argc, char** argv) {
  const std::string day = FlagValue(argc, argv, "--day", "2025-04-08");
  const int latency = IntList(FlagValue(argc, argv, "--latency-ms", "200"))[0];
  const std::vector<int> replicas =
      IntList(FlagValue(argc, argv, "--replicas", "1,2,4,8"));
  const auto combos =
      Combos(FlagValue(argc, argv, "--combos", "1x8,2x4,4x2,8x1,4x4,8x4"));

  std::printf(
      "machine: %s\nday: %s, stub latency %d ms, abstract_batch_size 5"
      "\n",
      MachineDescription().c_str(), day.c_str(), latency);
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  WriteBenchmarkHeader(json, "scaling");
  json.Key("day");
  json.String(day.c_str());
  json.Key("latency_ms");
  json.Int(latency);
  json.Key("runs");
  json.StartArray();

  double base = 0;  // papers/s of 1 replica x 1 slot
  double base_e2e = 0;
  int failures = 0;
  bool target_met = true;
  auto run = [&](Table& table, int n, int slots, bool check_target) {
    PipelineOptions options;
    options.day = day;
    options.replicas = n;
    options.max_in_flight = slots;
    options.latency = std::chrono::milliseconds(latency);
    std::fprintf(stderr, "running %d x %d...\n", n, slots);
    PipelineResult r = RunPipeline(options);
    if (!r.ok()) {
      ++failures;
      table.AddRow({absl::StrCat(n, " x ", slots), "FAILED: " + r.error});
      return;
    }
    if (n * slots == 1) {
      base = r.papers_per_second();
      base_e2e = r.e2e_seconds;
    }
    const int parallel = n * slots;
    const double speedup = base > 0 ? r.papers_per_second() / base : 0;
    const double efficiency = speedup / parallel;
    const double e2e_speedup = r.e2e_seconds > 0 ? base_e2e / r.e2e_seconds : 0;
    if (check_target && efficiency < 0.9) target_met = false;
    table.AddRow({absl::StrCat(n, " x ", slots), absl::StrCat(parallel),
                  Fixed(r.scoring_seconds, 2), Fixed(r.papers_per_second(), 1),
                  Fixed(speedup, 2) + "x", Fixed(efficiency, 2),
                  Fixed(r.e2e_seconds, 2), Fixed(e2e_speedup, 2) + "x",
                  absl::StrCat(r.llm_calls), absl::StrCat(r.max_concurrency)});
    json.StartObject();
    WriteRunBasics(json, n, slots, r);
    json.Key("speedup");
    json.Double(speedup);
    json.Key("efficiency");
    json.Double(efficiency);
    json.Key("e2e_speedup");
    json.Double(e2e_speedup);
    json.Key("max_concurrency");
    json.Int(r.max_concurrency);
    json.EndObject();
  };
  const std::vector<std::string> headers = {
      "replicas x slots", "calls in flight", "scoring s",
      "papers/s",         "speed-up",        "efficiency (speed-up / N)",
      "end-to-end s",     "e2e speed-up",    "LLM calls",
      "max concurrent"};
  Table by_replicas(headers);
  for (int n : replicas) run(by_replicas, n, 1, /*check_target=*/true);
  Table by_combo(headers);
  for (const auto& [n, slots] : combos) run(by_combo, n, slots, false);
  json.EndArray();
  json.Key("target_0_9_met");
  json.Bool(target_met);
  json.EndObject();

  std::printf("\n### Scorer replicas, max_in_flight = 1 (%d ms per call)\n\n%s",
              latency, by_replicas.Markdown().c_str());
  std::printf("\n### Replicas x max_in_flight (speed-up vs 1 x 1)\n\n%s",
              by_combo.Markdown().c_str());
  std::printf("\ntarget (efficiency >= 0.9 for N <= 8 replicas): %s\n",
              target_met ? "met" : "NOT met");
  WriteJsonResult(argc, argv, "scaling", buffer);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace arxiv_digest::bench

int main(int argc, char** argv) {
  return arxiv_digest::bench::Main(argc, argv);
}
