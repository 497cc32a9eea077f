// Endurance: a year of daily runs through the real service binaries
// (fetcher --once per day, one scorer with the built-in lexical scorer, the
// publisher with its retention pass, the api for the profile fan-out) on a
// private redis-server, recording Redis used_memory after every day.
//
// The two bundled days are replayed alternately with shifted dates: the
// channel dates become the simulated day and every arXiv id is renamed
// (<yymm of the day>.<day of month * 3000 + n>), so the fetcher sees a new
// announcement with new papers every day. 3 profiles (default + 2 under
// configs/profiles/ with the same cut-offs).
//
// Retention is scaled down so a year fits in minutes: one retention day
// lasts --day-seconds (1) of wall time (publisher --retention-day-seconds),
// each simulated day is paced to that length, and [RETENTION] run_days /
// digest_days / [FETCHER] seen_ttl_days are --run-days (7) /
// --digest-days (30) / --seen-days (7). Memory must be flat once the
// longest window has passed.
//
// Writes <--out or bench/results>/endurance.csv (day, date, used_memory,
// keys, stream lengths), endurance.svg (used_memory per day) and
// endurance.json (per key class: bytes, and bytes per profile-day).
// --bin-dir DIR runs DIR/services/<name>/<name> instead of the build's.
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bench/report.h"
#include "tests/support/redis_server.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_configs.h"

namespace arxiv_digest::bench {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using testing::RedisClient;
using testing::RedisServer;
using testing::Subprocess;

constexpr char kCategories[] = "cs.CL+cs.CV+cs.MM+cs.LG+cs.SI,cs.SD+eess.AS";
const char* const kProfiles[] = {"default", "p2", "p3"};
const char* const kSourceDays[] = {"2025-04-08", "2025-04-15"};

struct Options {
  int days = 365;
  int day_seconds = 1;
  int run_days = 7;
  int digest_days = 30;
  int seen_days = 7;
  std::string out_dir;
  bool keep = false;  // keep the work folder (configs, logs, out/)
};

// <--bin-dir or the build folder>/services/<service>/<service>; a copy
// elsewhere keeps a long run safe from rebuilds of the build folder.
std::string& BinDir() {
  static std::string* dir = new std::string(ARXIV_DIGEST_BINARY_DIR);
  return *dir;
}
std::string Binary(const std::string& service) {
  return absl::StrCat(BinDir(), "/services/", service, "/", service);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string FeedDate(absl::CivilDay day) {
  return absl::FormatTime("%a, %d %b %Y",
                          absl::FromCivil(day, absl::UTCTimeZone()),
                          absl::UTCTimeZone());
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The feed of `source` as if announced on `day`: channel/item dates moved,
// every new-style arXiv id (NNNN.NNNNN) renamed consistently.
std::string ShiftFeed(const std::string& text, absl::CivilDay source,
                      absl::CivilDay day) {
  const std::string from = FeedDate(source), to = FeedDate(day);
  std::string dated;
  dated.reserve(text.size());
  for (size_t pos = 0;;) {
    size_t hit = text.find(from, pos);
    dated.append(text, pos, hit == std::string::npos ? hit : hit - pos);
    if (hit == std::string::npos) break;
    dated += to;
    pos = hit + from.size();
  }
  const std::string yymm =
      absl::StrCat(absl::Dec(day.year() % 100, absl::kZeroPad2),
                   absl::Dec(day.month(), absl::kZeroPad2));
  std::map<std::string, std::string> renamed;
  std::string out;
  out.reserve(dated.size());
  const size_t n = dated.size();
  for (size_t i = 0; i < n;) {
    bool id = i + 10 <= n && (i == 0 || !IsDigit(dated[i - 1])) &&
              dated[i + 4] == '.' && (i + 10 == n || !IsDigit(dated[i + 10]));
    for (size_t k = 0; id && k < 10; ++k) {
      if (k != 4 && !IsDigit(dated[i + k])) id = false;
    }
    if (!id) {
      out += dated[i++];
      continue;
    }
    std::string old = dated.substr(i, 10);
    auto it = renamed.find(old);
    if (it == renamed.end()) {
      const int number = day.day() * 3000 + static_cast<int>(renamed.size());
      it = renamed
               .emplace(old, absl::StrCat(yymm, ".",
                                          absl::Dec(number, absl::kZeroPad5)))
               .first;
    }
    out += it->second;
    i += 10;
  }
  return out;
}

void WriteConfigs(const std::string& dir, const std::string& out,
                  const Options& o) {
  testing::CopyShippedPrompts(dir);
  std::ofstream(dir + "/config.ini")
      << "[SELECTION]\nmodel = gpt-4o\nabstract_batch_size = 5\n"
         "run_author_match = false\n\n[FILTERING]\narxiv_category = "
      << kCategories
      << "\nannounce_type = new,cross\nforce_primary = true\n"
         "relevance_cutoff = 8\nnovelty_cutoff = 7\n\n"
         "[FETCHER]\nmin_request_interval_ms = 0\nseen_ttl_days = "
      << o.seen_days << "\n\n[OUTPUT]\noutput_path = " << out
      << "\n\n[RETENTION]\nrun_days = " << o.run_days
      << "\ndigest_days = " << o.digest_days << "\n";
  // Two more readers. Same cut-offs as the default (lexical scores would
  // let lower ones select hundreds of papers, which no reader wants), so
  // every digest has the default's size (10 papers on 2025-04-08).
  for (int i = 1; i < 3; ++i) {
    const std::string p = absl::StrCat(dir, "/profiles/", kProfiles[i]);
    fs::create_directories(p);
    std::ofstream(p + "/config.ini")
        << "[FILTERING]\nrelevance_cutoff = 8\nnovelty_cutoff = 7\n";
  }
}

int64_t InfoField(RedisClient& redis, const std::string& section,
                  const std::string& name) {
  auto info = redis.Command({"INFO", section});
  if (!info.ok()) return -1;
  for (absl::string_view line : absl::StrSplit(info->str, "\r\n")) {
    int64_t v = 0;
    if (absl::ConsumePrefix(&line, name + ":") && absl::SimpleAtoi(line, &v)) {
      return v;
    }
  }
  return -1;
}

int64_t Integer(RedisClient& redis, const std::vector<std::string>& args) {
  auto r = redis.Command(args);
  return r.ok() ? r->integer : -1;
}

// The key class of a key, for the memory breakdown.
std::string KeyClass(const std::string& key) {
  for (const char* c : {"arxiv:run:", "arxiv:digest:", "arxiv:digest-meta:",
                        "arxiv:digests:", "arxiv:seen:"}) {
    if (key.rfind(c, 0) == 0) return std::string(c).substr(6);
  }
  for (const char* s : {"arxiv:papers", "arxiv:scores", "arxiv:runs",
                        "arxiv:triggers", "arxiv:dead-letter"}) {
    if (key == s) return "streams";
  }
  return "other";
}

void WriteSvg(const std::string& path, const std::vector<int64_t>& used,
              const Options& o) {
  const double w = 800, h = 400, left = 70, bottom = 40, top = 30, right = 20;
  const int64_t max_used =
      std::max<int64_t>(1, *std::max_element(used.begin(), used.end()));
  const double ymax = static_cast<double>(max_used) * 1.1;
  auto x = [&](double day) {
    return left + (w - left - right) * day / std::max(1, o.days);
  };
  auto y = [&](double bytes) {
    return h - bottom - (h - bottom - top) * bytes / ymax;
  };
  std::ofstream svg(path);
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w
      << "\" height=\"" << h
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << left << "\" y=\"18\">Redis used_memory per simulated "
      << "day (3 profiles; run_days=" << o.run_days
      << ", digest_days=" << o.digest_days << ", seen_ttl_days=" << o.seen_days
      << ", 1 day = " << o.day_seconds << " s)</text>\n"
      << "<line x1=\"" << left << "\" y1=\"" << h - bottom << "\" x2=\""
      << w - right << "\" y2=\"" << h - bottom << "\" stroke=\"black\"/>\n"
      << "<line x1=\"" << left << "\" y1=\"" << top << "\" x2=\"" << left
      << "\" y2=\"" << h - bottom << "\" stroke=\"black\"/>\n";
  for (int i = 0; i <= 4; ++i) {
    const double v = ymax * i / 4;
    svg << "<text x=\"4\" y=\"" << y(v) + 4 << "\">" << Fixed(v / 1048576.0, 1)
        << " MiB</text>\n";
  }
  for (int d = 0; d <= o.days; d += 50) {
    svg << "<text x=\"" << x(d) - 8 << "\" y=\"" << h - bottom + 16 << "\">"
        << d << "</text>\n";
  }
  svg << "<text x=\"" << (w / 2) << "\" y=\"" << h - 4 << "\">day</text>\n";
  for (int mark : {o.run_days, o.digest_days}) {
    svg << "<line x1=\"" << x(mark) << "\" y1=\"" << top << "\" x2=\""
        << x(mark) << "\" y2=\"" << h - bottom
        << "\" stroke=\"gray\" stroke-dasharray=\"4 4\"/>\n";
  }
  svg << "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" "
         "points=\"";
  for (size_t i = 0; i < used.size(); ++i) {
    svg << Fixed(x(static_cast<double>(i + 1)), 1) << ","
        << Fixed(y(static_cast<double>(used[i])), 1) << " ";
  }
  svg << "\"/>\n</svg>\n";
}

int Run(const Options& o) {
  const std::string work = testing::TempDir("bench-endurance-");
  const std::string logs = work + "/logs", feeds = work + "/feeds/";
  fs::create_directories(logs);
  fs::create_directories(feeds);
  WriteConfigs(work + "/configs", work + "/out", o);
  std::vector<std::map<std::string, std::string>> sources;
  for (const char* day : kSourceDays) {
    std::map<std::string, std::string> files;
    for (const auto& category : absl::StrSplit(kCategories, ',')) {
      std::string name = absl::StrCat(category, ".xml");
      files[name] = ReadFile(absl::StrCat(ARXIV_DIGEST_SOURCE_DIR,
                                          "/data/sample/", day, "/", name));
    }
    sources.push_back(std::move(files));
  }

  auto server = RedisServer::Start();
  if (!server.ok()) {
    std::fprintf(stderr, "bench: %s\n", server.status().ToString().c_str());
    return 1;
  }
  auto redis = RedisClient::Connect((*server)->port());
  if (!redis.ok()) return 1;
  const std::map<std::string, std::string> env = {
      {"REDIS_URL", (*server)->url()},
      {"SCORER_BACKEND", "lexical"},
      {"ARXIV_RSS_URL", "file://" + feeds},
      {"LOG_LEVEL", "warning"}};
  auto start = [&](const std::string& service, const std::string& name,
                   std::vector<std::string> extra) {
    std::vector<std::string> args = {"--configs",    work + "/configs",
                                     "--admin-port", "0",
                                     "--admin-host", "127.0.0.1"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto p = Subprocess::Start(
        {.binary = Binary(service),
         .args = args,
         .env = env,
         .unset_env = {"OPENAI_API_KEY", "OPENAI_BASE_URL", "http_proxy",
                       "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"},
         .log_dir = logs,
         .name = name});
    if (!p.ok()) {
      std::fprintf(stderr, "bench: %s: %s\n", name.c_str(),
                   p.status().ToString().c_str());
    }
    return p.ok() ? *std::move(p) : nullptr;
  };
  std::vector<std::unique_ptr<Subprocess>> services;
  services.push_back(start(
      "publisher", "publisher",
      {"--output-path", work + "/out", "--retention-day-seconds",
       std::to_string(o.day_seconds), "--retention-interval-seconds", "1"}));
  services.push_back(start("scorer", "scorer", {"--consumer", "scorer-0"}));
  services.push_back(
      start("api", "api",
            {"--grpc-port", "0", "--web-port", "0", "--grpc-host", "127.0.0.1",
             "--web-host", "127.0.0.1"}));
  for (const auto& s : services) {
    if (s == nullptr) return 1;
  }
  std::this_thread::sleep_for(milliseconds(1500));  // groups created

  const std::string dir =
      o.out_dir.empty() ? std::string(ARXIV_DIGEST_SOURCE_DIR "/bench/results")
                        : o.out_dir;
  fs::create_directories(dir);
  std::ofstream csv(dir + "/endurance.csv");
  csv << "day,date,used_memory,keys,papers_stream,scores_stream,runs_stream,"
         "seconds\n";
  std::vector<int64_t> used;
  const absl::CivilDay first(2025, 4, 8);
  const auto t0 = std::chrono::steady_clock::now();
  int failures = 0;
  for (int k = 0; k < o.days; ++k) {
    const auto day_start = std::chrono::steady_clock::now();
    const absl::CivilDay day = first + k;
    const absl::CivilDay source =
        k % 2 == 0 ? absl::CivilDay(2025, 4, 8) : absl::CivilDay(2025, 4, 15);
    for (const auto& [name, text] : sources[k % 2]) {
      std::ofstream(feeds + name, std::ios::binary)
          << ShiftFeed(text, source, day);
    }
    auto fetcher = start("fetcher", "fetcher", {"--once"});
    if (fetcher == nullptr) return 1;
    fetcher->WaitFor(milliseconds(120000));
    const std::string date = absl::FormatCivilTime(day);
    // Published for every profile: the date is in each digest index.
    const auto deadline =
        std::chrono::steady_clock::now() + milliseconds(60000);
    bool done = false;
    while (!done && std::chrono::steady_clock::now() < deadline) {
      done = true;
      for (const char* p : kProfiles) {
        auto score =
            redis->Command({"ZSCORE", absl::StrCat("arxiv:digests:", p), date});
        if (!score.ok() || score->IsNil()) done = false;
      }
      if (!done) std::this_thread::sleep_for(milliseconds(5));
    }
    if (!done) {
      ++failures;
      std::fprintf(stderr,
                   "bench: day %d (%s) not published for all "
                   "profiles; fetcher said: %s\n",
                   k + 1, date.c_str(), fetcher->ReadStdout().c_str());
      if (failures > 3) return 1;
    }
    const double seconds = std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - day_start)
                               .count();
    // Pace: simulated day k ends at t0 + (k + 1) days.
    std::this_thread::sleep_until(t0 + std::chrono::seconds(o.day_seconds) *
                                           (k + 1));
    const int64_t mem = InfoField(*redis, "memory", "used_memory");
    used.push_back(mem);
    csv << k + 1 << "," << date << "," << mem << ","
        << Integer(*redis, {"DBSIZE"}) << ","
        << Integer(*redis, {"XLEN", "arxiv:papers"}) << ","
        << Integer(*redis, {"XLEN", "arxiv:scores"}) << ","
        << Integer(*redis, {"XLEN", "arxiv:runs"}) << "," << Fixed(seconds, 3)
        << "\n";
    csv.flush();
    if ((k + 1) % 30 == 0) {
      std::printf("day %d: used_memory %.2f MiB (day took %.2f s)\n", k + 1,
                  mem / 1048576.0, seconds);
      std::fflush(stdout);
    }
  }

  // What is held at the end, by key class.
  std::map<std::string, std::pair<int64_t, int64_t>> classes;  // bytes, keys
  int64_t manifests = 0;
  std::string cursor = "0";
  do {
    auto page = redis->Command({"SCAN", cursor, "COUNT", "1000"});
    if (!page.ok() || page->elements.size() != 2) break;
    cursor = page->elements[0].str;
    for (const auto& key : page->elements[1].elements) {
      auto& c = classes[KeyClass(key.str)];
      c.first += std::max<int64_t>(
          0, Integer(*redis, {"MEMORY", "USAGE", key.str, "SAMPLES", "0"}));
      c.second += 1;
      if (key.str.rfind("arxiv:run:", 0) == 0 &&
          std::count(key.str.begin(), key.str.end(), ':') == 2) {
        ++manifests;
      }
    }
  } while (cursor != "0");
  const int64_t digest_bytes = classes["digest:"].first +
                               classes["digest-meta:"].first +
                               classes["digests:"].first;
  const int days_of_digests = std::min(o.days, o.digest_days + 1);
  const double digest_per_profile_day =
      static_cast<double>(digest_bytes) / (3.0 * days_of_digests);
  const double run_per_profile_day =
      manifests > 0 ? static_cast<double>(classes["run:"].first) / manifests
                    : 0;
  const double seen_per_day = static_cast<double>(classes["seen:"].first) /
                              std::min(o.days, o.seen_days + 1);
  // A production year: run data held 30 days, digests 365, seen 30 days
  // (shared by the profiles), per profile.
  const double per_profile_year = run_per_profile_day * 30 +
                                  digest_per_profile_day * 365 +
                                  seen_per_day * 30 / 3.0;
  const int64_t last = used.empty() ? 0 : used.back();
  const size_t window = static_cast<size_t>(
      std::max({o.run_days, o.digest_days, o.seen_days}) + 5);
  int64_t min_after = last, max_after = last;
  for (size_t i = window; i < used.size(); ++i) {
    min_after = std::min(min_after, used[i]);
    max_after = std::max(max_after, used[i]);
  }

  std::printf("\n| key class | keys | bytes |\n|---|---|---|\n");
  for (const auto& [name, c] : classes) {
    std::printf("| %s | %lld | %lld |\n", name.c_str(),
                static_cast<long long>(c.second),
                static_cast<long long>(c.first));
  }
  std::printf(
      "\nused_memory: day 1 %.2f MiB, last %.2f MiB; after day %zu between "
      "%.2f and %.2f MiB\nper profile-day: run data %.0f B (held run_days), "
      "digest %.0f B (held digest_days), seen %.0f B per day (all profiles)\n"
      "per profile-year at run_days=30, digest_days=365: %.2f MiB\n"
      "failed days: %d\n",
      used.empty() ? 0 : used.front() / 1048576.0, last / 1048576.0, window,
      min_after / 1048576.0, max_after / 1048576.0, run_per_profile_day,
      digest_per_profile_day, seen_per_day, per_profile_year / 1048576.0,
      failures);

  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  WriteBenchmarkHeader(json, "endurance");
  for (auto [k, v] : std::initializer_list<std::pair<const char*, int>>{
           {"days", o.days},
           {"day_seconds", o.day_seconds},
           {"run_days", o.run_days},
           {"digest_days", o.digest_days},
           {"seen_ttl_days", o.seen_days},
           {"profiles", 3},
           {"failed_days", failures}}) {
    json.Key(k);
    json.Int(v);
  }
  json.Key("used_memory_first_day");
  json.Int64(used.empty() ? 0 : used.front());
  json.Key("used_memory_last_day");
  json.Int64(last);
  json.Key("used_memory_min_after_window");
  json.Int64(min_after);
  json.Key("used_memory_max_after_window");
  json.Int64(max_after);
  json.Key("run_bytes_per_profile_day");
  json.Double(run_per_profile_day);
  json.Key("digest_bytes_per_profile_day");
  json.Double(digest_per_profile_day);
  json.Key("seen_bytes_per_day");
  json.Double(seen_per_day);
  json.Key("bytes_per_profile_year_at_defaults");
  json.Double(per_profile_year);
  json.Key("key_classes");
  json.StartObject();
  for (const auto& [name, c] : classes) {
    json.Key(name.c_str());
    json.StartObject();
    json.Key("keys");
    json.Int64(c.second);
    json.Key("bytes");
    json.Int64(c.first);
    json.EndObject();
  }
  json.EndObject();
  json.EndObject();
  std::ofstream(dir + "/endurance.json") << buffer.GetString() << "\n";
  WriteSvg(dir + "/endurance.svg", used, o);
  std::printf("wrote %s/endurance.{csv,svg,json}\n", dir.c_str());

  for (auto& s : services) s->Signal(SIGTERM);
  for (auto& s : services) s->WaitFor(milliseconds(20000));
  if (failures == 0 && !o.keep) testing::RemoveTree(work);
  if (o.keep) std::printf("kept %s\n", work.c_str());
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace arxiv_digest::bench

int main(int argc, char** argv) {
  using arxiv_digest::bench::FlagValue;
  arxiv_digest::bench::Options o;
  auto int_flag = [&](const char* name, int fallback) {
    int v = fallback;
    if (!absl::SimpleAtoi(FlagValue(argc, argv, name, std::to_string(fallback)),
                          &v) ||
        v < 1) {
      std::fprintf(stderr, "%s: a positive integer\n", name);
      std::exit(2);
    }
    return v;
  };
  o.days = int_flag("--days", 365);
  o.day_seconds = int_flag("--day-seconds", 1);
  o.run_days = int_flag("--run-days", 7);
  o.digest_days = int_flag("--digest-days", 30);
  o.seen_days = int_flag("--seen-days", 7);
  o.out_dir = FlagValue(argc, argv, "--out", "");
  o.keep = arxiv_digest::bench::HasFlag(argc, argv, "--keep");
  arxiv_digest::bench::BinDir() =
      FlagValue(argc, argv, "--bin-dir", arxiv_digest::bench::BinDir());
  return arxiv_digest::bench::Run(o);
}
