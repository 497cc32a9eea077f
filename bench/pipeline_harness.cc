#include "bench/pipeline_harness.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tests/support/feed_server.h"
#include "tests/support/openai_stub.h"
#include "tests/support/redis_server.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_configs.h"

extern char** environ;

namespace arxiv_digest::bench {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using testing::FeedServer;
using testing::OpenAiStub;
using testing::RedisClient;
using testing::RedisReply;
using testing::RedisServer;
using testing::Subprocess;

constexpr char kCategories[] = "cs.CL+cs.CV+cs.MM+cs.LG+cs.SI,cs.SD+eess.AS";

std::string Binary(const std::string& service) {
  return absl::StrCat(ARXIV_DIGEST_BINARY_DIR, "/services/", service, "/",
                      service);
}

// Lines of [SELECTION] beyond the batch size and slots: the seed tool's
// stages and the rate limit when asked for.
std::string SelectionExtras(const PipelineOptions& o) {
  std::string extras;
  if (o.seed_stages) {
    extras +=
        "run_title_filter = true\ntitle_batch_size = 8\ntitle_retry = 3\n"
        "adaptive_batch_size = true\nadaptive_threshold = 32\n";
  }
  if (o.limit_per_minute > 0) {
    absl::StrAppend(&extras, "limit_per_minute = ", o.limit_per_minute, "\n");
  }
  return extras;
}

}  // namespace

// The shipped prompt files with a config.ini that differs from the default
// only where a benchmark must: batch size and slots as asked, no author
// matches (every paper goes to the LLM, as in the Python reference) and no
// 3 s politeness gap between the two loopback feed requests.
std::string WritePipelineConfigs(const std::string& dir, const std::string& out,
                                 const PipelineOptions& o) {
  testing::CopyShippedPrompts(dir);
  std::ofstream(dir + "/config.ini")
      << "[SELECTION]\nmodel = gpt-4o\nabstract_batch_size = "
      << (o.seed_stages ? 4 : o.batch_size)
      << "\nabstract_retry = 3\nrun_author_match = false\nmax_in_flight = "
      << o.max_in_flight << "\n"
      << SelectionExtras(o) << "\n[FILTERING]\narxiv_category = " << kCategories
      << "\nannounce_type = new,cross\nforce_primary = true\n"
         "relevance_cutoff = 8\nnovelty_cutoff = 7\n\n"
         "[FETCHER]\nmin_request_interval_ms = 0\n\n[OUTPUT]\noutput_path = "
      << out << "\n";
  return dir;
}

namespace {

// VmHWM of a live process in KiB; 0 when it cannot be read.
int64_t PeakRssKb(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view v(line);
    if (absl::ConsumePrefix(&v, "VmHWM:")) {
      v = absl::StripAsciiWhitespace(v);
      absl::ConsumeSuffix(&v, "kB");
      int64_t kb = 0;
      if (absl::SimpleAtoi(absl::StripAsciiWhitespace(v), &kb)) return kb;
    }
  }
  return 0;
}

// The fetcher is run here rather than through Subprocess so that wait4()
// returns its rusage: ru_maxrss is its exact peak even though it exits by
// itself before anyone could read /proc.
struct Child {
  pid_t pid = -1;
  std::string stdout_path;
};

Child SpawnWithEnv(const std::string& binary,
                   const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env,
                   const std::string& log_stem) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv(*e);
    std::string key = kv.substr(0, kv.find('='));
    if (!env.count(key)) env_strings.push_back(kv);
  }
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, argv;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_strings = {binary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  Child child;
  child.stdout_path = log_stem + ".stdout";
  const std::string stderr_path = log_stem + ".stderr";
  child.pid = fork();
  if (child.pid == 0) {
    FILE* out = std::fopen(child.stdout_path.c_str(), "w");
    FILE* err = std::fopen(stderr_path.c_str(), "w");
    if (out) dup2(fileno(out), 1);
    if (err) dup2(fileno(err), 2);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  return child;
}

absl::StatusOr<int64_t> StreamEdgeMs(RedisClient& redis,
                                     const std::string& stream, bool last) {
  auto reply =
      redis.Command(last ? std::vector<std::string>{"XREVRANGE", stream, "+",
                                                    "-", "COUNT", "1"}
                         : std::vector<std::string>{"XRANGE", stream, "-", "+",
                                                    "COUNT", "1"});
  if (!reply.ok()) return reply.status();
  if (reply->elements.empty() || reply->elements[0].elements.empty()) {
    return absl::NotFoundError(stream + " is empty");
  }
  const std::string& id = reply->elements[0].elements[0].str;
  int64_t ms = 0;
  if (!absl::SimpleAtoi(id.substr(0, id.find('-')), &ms)) {
    return absl::InternalError("bad stream id " + id);
  }
  return ms;
}

// Until the scorer slots and the publisher sit in XREADGROUP, so the day is
// not timed from before the consumers were even connected. Soft: on timeout
// the run starts anyway.
void WaitForReaders(RedisClient& redis, int n) {
  const auto deadline = std::chrono::steady_clock::now() + milliseconds(30000);
  while (std::chrono::steady_clock::now() < deadline) {
    auto list = redis.Command({"CLIENT", "LIST"});
    if (list.ok()) {
      int readers = 0;
      for (absl::string_view line : absl::StrSplit(list->str, '\n')) {
        if (absl::StrContains(line, " cmd=xreadgroup")) ++readers;
      }
      if (readers >= n) return;
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
}

int64_t Field(const std::map<std::string, std::string>& run,
              const std::string& name) {
  int64_t v = 0;
  auto it = run.find(name);
  if (it != run.end()) absl::SimpleAtoi(it->second, &v);
  return v;
}

}  // namespace

int64_t PeakMemory::scorer_max_kb() const {
  return scorer_kb.empty()
             ? 0
             : *std::max_element(scorer_kb.begin(), scorer_kb.end());
}

std::string SampleDayDir(const std::string& day) {
  return absl::StrCat(ARXIV_DIGEST_SOURCE_DIR, "/data/sample/", day);
}

PipelineResult RunPipeline(const PipelineOptions& options) {
  PipelineResult result;
  const std::string work = testing::TempDir("bench-day-");
  const std::string logs = work + "/logs";
  fs::create_directories(logs);
  const std::string configs =
      WritePipelineConfigs(work + "/configs", work + "/out", options);

  auto redis_server = RedisServer::Start();
  auto feeds = FeedServer::Start(SampleDayDir(options.day));
  // Enough stub workers for every slot at once, so the stub never queues.
  auto stub = OpenAiStub::Start(
      {.latency = options.latency,
       .threads = std::max(16, 2 * options.replicas * options.max_in_flight)});
  if (!redis_server.ok() || !feeds.ok() || !stub.ok()) {
    result.error = "could not start redis-server, feed server or stub";
    testing::RemoveTree(work);
    return result;
  }
  auto redis = RedisClient::Connect((*redis_server)->port());
  if (!redis.ok()) {
    result.error = std::string(redis.status().message());
    return result;
  }
  const std::map<std::string, std::string> env = {
      {"REDIS_URL", (*redis_server)->url()},
      {"OPENAI_API_KEY", (*stub)->api_key()},
      {"OPENAI_BASE_URL", (*stub)->base_url()},
      {"ARXIV_RSS_URL", (*feeds)->base_url()},
      {"LOG_LEVEL", "warning"}};
  auto start_service =
      [&](const std::string& service, const std::string& name,
          std::vector<std::string> extra) -> std::unique_ptr<Subprocess> {
    std::vector<std::string> args = {
        "--configs", configs, "--admin-port", "0", "--admin-host", "127.0.0.1"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto p = Subprocess::Start({.binary = Binary(service),
                                .args = args,
                                .env = env,
                                .unset_env = {"http_proxy", "https_proxy",
                                              "HTTP_PROXY", "HTTPS_PROXY"},
                                .log_dir = logs,
                                .name = name});
    return p.ok() ? *std::move(p) : nullptr;
  };

  std::unique_ptr<Subprocess> publisher =
      start_service("publisher", "publisher", {"--output-path", work + "/out"});
  std::vector<std::unique_ptr<Subprocess>> scorers;
  for (int i = 0; i < options.replicas; ++i) {
    const std::string name = absl::StrCat("scorer-", i);
    scorers.push_back(start_service("scorer", name, {"--consumer", name}));
    if (scorers.back() == nullptr) result.error = "scorer did not start";
  }
  if (publisher == nullptr) result.error = "publisher did not start";
  if (!result.ok()) return result;
  WaitForReaders(*redis, options.replicas * options.max_in_flight + 1);

  const auto start = std::chrono::steady_clock::now();
  Child fetcher = SpawnWithEnv(Binary("fetcher"),
                               {"--configs", configs, "--once", "--admin-port",
                                "0", "--admin-host", "127.0.0.1"},
                               env, logs + "/fetcher");
  bool fetcher_done = false;
  std::string run_id;
  const auto deadline = start + options.timeout;
  while (true) {
    if (!fetcher_done) {
      int status = 0;
      struct rusage usage {};
      if (wait4(fetcher.pid, &status, WNOHANG, &usage) == fetcher.pid) {
        fetcher_done = true;
        result.fetch_seconds = std::chrono::duration<double>(
                                   std::chrono::steady_clock::now() - start)
                                   .count();
        result.memory.fetcher_kb = usage.ru_maxrss;  // KiB on Linux
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
          result.error = "fetcher failed: " +
                         testing::ReadFileOrEmpty(logs + "/fetcher.stderr");
          break;
        }
        for (absl::string_view line : absl::StrSplit(
                 testing::ReadFileOrEmpty(fetcher.stdout_path), '\n')) {
          if (absl::ConsumePrefix(&line, "run_id=")) run_id = std::string(line);
        }
      }
    }
    if (!run_id.empty()) {
      auto status = redis->HGet("arxiv:run:" + run_id, "status");
      if (status.ok() && *status == std::optional<std::string>("published")) {
        result.e2e_seconds = std::chrono::duration<double>(
                                 std::chrono::steady_clock::now() - start)
                                 .count();
        break;
      }
    }
    if (std::chrono::steady_clock::now() > deadline) {
      result.error = "not published before the timeout";
      break;
    }
    std::this_thread::sleep_for(milliseconds(2));
  }
  if (!fetcher_done) {
    kill(fetcher.pid, SIGKILL);
    waitpid(fetcher.pid, nullptr, 0);
  }

  if (result.ok()) {
    auto run = redis->HGetAll("arxiv:run:" + run_id);
    if (run.ok()) {
      result.total_items = Field(*run, "total_papers");
      result.papers_to_score = Field(*run, "papers_to_score");
      result.relevant_papers = Field(*run, "relevant_papers");
    }
    auto first = StreamEdgeMs(*redis, "arxiv:papers", /*last=*/false);
    auto last = StreamEdgeMs(*redis, "arxiv:scores", /*last=*/true);
    if (first.ok() && last.ok()) {
      result.scoring_seconds = (*last - *first) / 1000.0;
    } else {
      result.scoring_seconds = result.e2e_seconds;
    }
  }
  result.llm_calls = (*stub)->requests();
  result.title_calls = (*stub)->title_replies();
  result.max_concurrency = (*stub)->max_concurrent();
  result.prompt_tokens = (*stub)->total_usage().prompt_tokens;
  result.completion_tokens = (*stub)->total_usage().completion_tokens;

  // Peaks just before stopping: VmHWM only grows, so this is the day's peak.
  for (const auto& s : scorers) {
    result.memory.scorer_kb.push_back(PeakRssKb(s->pid()));
  }
  result.memory.publisher_kb = PeakRssKb(publisher->pid());
  if (auto info = redis->Command({"INFO", "server"}); info.ok()) {
    for (absl::string_view line : absl::StrSplit(info->str, "\r\n")) {
      int pid = 0;
      if (absl::ConsumePrefix(&line, "process_id:") &&
          absl::SimpleAtoi(line, &pid)) {
        result.memory.redis_kb = PeakRssKb(pid);
      }
    }
  }
  for (auto& s : scorers) s->Signal(SIGTERM);
  publisher->Signal(SIGTERM);
  for (auto& s : scorers) s->WaitFor(milliseconds(20000));
  publisher->WaitFor(milliseconds(20000));
  if (!result.ok()) {
    std::fprintf(stderr, "bench: %s (logs kept in %s)\n", result.error.c_str(),
                 logs.c_str());
  } else {
    testing::RemoveTree(work);
  }
  return result;
}

PipelineResult RunPipelineMedian(const PipelineOptions& options, int repeats,
                                 std::vector<double>* samples) {
  std::vector<PipelineResult> runs;
  for (int i = 0; i < std::max(1, repeats); ++i) {
    runs.push_back(RunPipeline(options));
    if (!runs.back().ok()) return runs.back();
    if (samples != nullptr) samples->push_back(runs.back().scoring_seconds);
  }
  std::sort(runs.begin(), runs.end(),
            [](const PipelineResult& a, const PipelineResult& b) {
              return a.scoring_seconds < b.scoring_seconds;
            });
  return runs[runs.size() / 2];
}

void WriteRunBasics(JsonWriter& json, int replicas, int slots,
                    const PipelineResult& r) {
  json.Key("replicas");
  json.Int(replicas);
  json.Key("max_in_flight");
  json.Int(slots);
  json.Key("papers_to_score");
  json.Int64(r.papers_to_score);
  json.Key("scoring_seconds");
  json.Double(r.scoring_seconds);
  json.Key("papers_per_second");
  json.Double(r.papers_per_second());
  json.Key("e2e_seconds");
  json.Double(r.e2e_seconds);
  json.Key("llm_calls");
  json.Int64(r.llm_calls);
}

}  // namespace arxiv_digest::bench
