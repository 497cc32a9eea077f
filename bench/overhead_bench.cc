// Pipeline overhead per paper: a whole real day with the stub answering at
// 0 ms, so the time is the services' own work (stream reads and writes,
// prompt building, HTTP to the stub, reply parsing, publishing), as papers/s
// through the Redis streams. Against the raw Redis limit measured in the
// same run with redis-benchmark on a fresh server: XADD of a paper-sized
// entry and XREADGROUP of one entry, one client (like one service
// connection) and 8 clients. The "raw hop" is one XADD plus one XREADGROUP
// per paper on one connection each, the least a stream pipeline must do.
//
//   bench_overhead [--day 2025-04-08] [--combos 1x1,2x4,4x4] [--repeat 5]
//                  [--out DIR]
// Each configuration runs --repeat times; the median run is reported.
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bench/pipeline_harness.h"
#include "bench/report.h"
#include "tests/support/redis_server.h"
#include "tests/support/subprocess.h"

namespace arxiv_digest::bench {
namespace {

using testing::RedisServer;
using testing::Subprocess;

// A paper entry is ~1.5 KB of JSON (title, authors, abstract).
constexpr int kPaperBytes = 1500;
constexpr int kRequests = 20000;

// requests per second of one redis-benchmark command, from its --csv line
// ("test","rps",...).
double RedisBenchmark(int port, int clients, std::vector<std::string> command) {
  std::vector<std::string> args = {
      "-h",   "127.0.0.1",           "-p", absl::StrCat(port),
      "-c",   absl::StrCat(clients), "-n", absl::StrCat(kRequests),
      "--csv"};
  args.insert(args.end(), command.begin(), command.end());
  auto p = Subprocess::Start({.binary = "/usr/bin/redis-benchmark",
                              .args = args,
                              .name = "redis-benchmark"});
  if (!p.ok() || (*p)->WaitFor(std::chrono::minutes(2)) != 0) {
    std::fprintf(stderr, "redis-benchmark failed\n");
    return 0;
  }
  const std::string out = (*p)->ReadStdout();
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    std::vector<std::string> cells = absl::StrSplit(line, ',');
    if (cells.size() < 2 || absl::StrContains(cells[0], "\"test\"")) continue;
    double rps = 0;
    if (absl::SimpleAtod(
            absl::StripPrefix(absl::StripSuffix(cells[1], "\""), "\""), &rps)) {
      return rps;
    }
  }
  std::fprintf(stderr, "could not read redis-benchmark output: %s\n",
               out.c_str());
  return 0;
}

struct RawLimits {
  double xadd = 0, xreadgroup = 0;
  double hop() const {  // papers/s through one XADD + one XREADGROUP
    return xadd > 0 && xreadgroup > 0 ? 1.0 / (1.0 / xadd + 1.0 / xreadgroup)
                                      : 0;
  }
};

RawLimits MeasureRaw(int clients) {
  RawLimits raw;
  auto server = RedisServer::Start();
  if (!server.ok()) return raw;
  const int port = (*server)->port();
  raw.xadd =
      RedisBenchmark(port, clients,
                     {"XADD", "bench:papers", "*", "run_id", "r", "arxiv_id",
                      "2504.00001", "paper", std::string(kPaperBytes, 'x')});
  testing::RedisCommand(port, {"XGROUP", "CREATE", "bench:papers", "g", "0"})
      .IgnoreError();
  raw.xreadgroup = RedisBenchmark(port, clients,
                                  {"XREADGROUP", "GROUP", "g", "c", "COUNT",
                                   "1", "STREAMS", "bench:papers", ">"});
  return raw;
}

int Main(int argc, char** argv) {
  const std::string day = FlagValue(argc, argv, "--day", "2025-04-08");
  std::vector<std::pair<int, int>> combos;
  for (absl::string_view c :
       absl::StrSplit(FlagValue(argc, argv, "--combos", "1x1,2x4,4x4"), ',')) {
    std::vector<int> rs = IntList(absl::StrReplaceAll(c, {{"x", ","}}));
    combos.emplace_back(rs.at(0), rs.at(1));
  }
  std::printf("machine: %s\nday: %s, stub latency 0 ms\n",
              MachineDescription().c_str(), day.c_str());

  const RawLimits raw1 = MeasureRaw(1);
  const RawLimits raw8 = MeasureRaw(8);
  Table raw({"redis-benchmark", "1 client ops/s", "8 clients ops/s"});
  raw.AddRow({absl::StrCat("XADD (", kPaperBytes, " B entry)"),
              Fixed(raw1.xadd, 0), Fixed(raw8.xadd, 0)});
  raw.AddRow({"XREADGROUP COUNT 1", Fixed(raw1.xreadgroup, 0),
              Fixed(raw8.xreadgroup, 0)});
  raw.AddRow({"raw hop (XADD + XREADGROUP per paper)", Fixed(raw1.hop(), 0),
              Fixed(raw8.hop(), 0)});

  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  WriteBenchmarkHeader(json, "overhead");
  json.Key("day");
  json.String(day.c_str());
  json.Key("raw");
  json.StartObject();
  for (const auto& [name, r] :
       {std::pair<const char*, RawLimits>{"clients_1", raw1},
        std::pair<const char*, RawLimits>{"clients_8", raw8}}) {
    json.Key(name);
    json.StartObject();
    json.Key("xadd_ops_per_second");
    json.Double(r.xadd);
    json.Key("xreadgroup_ops_per_second");
    json.Double(r.xreadgroup);
    json.Key("hop_papers_per_second");
    json.Double(r.hop());
    json.EndObject();
  }
  json.EndObject();
  json.Key("pipeline");
  json.StartArray();

  Table pipeline({"replicas x slots", "papers", "scoring s", "papers/s",
                  "us per paper", "vs raw hop (1 client)",
                  "vs raw hop (8 clients)", "end-to-end s"});
  int failures = 0;
  for (const auto& [n, slots] : combos) {
    PipelineOptions options;
    options.day = day;
    options.replicas = n;
    options.max_in_flight = slots;
    std::fprintf(stderr, "running %d x %d at 0 ms...\n", n, slots);
    PipelineResult r = RunPipelineMedian(
        options, IntList(FlagValue(argc, argv, "--repeat", "5")).at(0));
    if (!r.ok()) {
      ++failures;
      pipeline.AddRow({absl::StrCat(n, " x ", slots), "FAILED: " + r.error});
      continue;
    }
    const double pps = r.papers_per_second();
    pipeline.AddRow({absl::StrCat(n, " x ", slots),
                     absl::StrCat(r.papers_to_score),
                     Fixed(r.scoring_seconds, 3), Fixed(pps, 0),
                     Fixed(pps > 0 ? 1e6 / pps : 0, 0),
                     Fixed(raw1.hop() > 0 ? pps / raw1.hop() : 0, 3),
                     Fixed(raw8.hop() > 0 ? pps / raw8.hop() : 0, 3),
                     Fixed(r.e2e_seconds, 2)});
    json.StartObject();
    WriteRunBasics(json, n, slots, r);
    json.Key("ratio_to_raw_hop_1_client");
    json.Double(raw1.hop() > 0 ? pps / raw1.hop() : 0);
    json.Key("ratio_to_raw_hop_8_clients");
    json.Double(raw8.hop() > 0 ? pps / raw8.hop() : 0);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  std::printf("\n### Raw Redis (redis-server %s, same run)\n\n%s",
              "on loopback", raw.Markdown().c_str());
  std::printf("\n### Pipeline at 0 ms LLM latency\n\n%s",
              pipeline.Markdown().c_str());
  WriteJsonResult(argc, argv, "overhead", buffer);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace arxiv_digest::bench

int main(int argc, char** argv) {
  return arxiv_digest::bench::Main(argc, argv);
}
