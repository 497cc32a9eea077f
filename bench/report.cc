#include "bench/report.h"

#include <sys/utsname.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace arxiv_digest::bench {

std::string Table::Markdown() const {
  std::vector<size_t> width(headers_.size(), 3);
  for (size_t i = 0; i < headers_.size(); ++i) {
    width[i] = std::max(width[i], headers_[i].size());
  }
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (size_t i = 0; i < width.size(); ++i) {
      std::string cell = i < cells.size() ? cells[i] : "";
      absl::StrAppend(&out, " ", cell, std::string(width[i] - cell.size(), ' '),
                      " |");
    }
    return out + "\n";
  };
  std::string out = line(headers_) + "|";
  for (size_t w : width) absl::StrAppend(&out, std::string(w + 2, '-'), "|");
  out += "\n";
  for (const auto& row : rows_) out += line(row);
  return out;
}

std::string Fixed(double value, int digits) {
  return absl::StrFormat("%.*f", digits, value);
}

std::string FlagValue(int argc, char** argv, const std::string& name,
                      const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (name == argv[i]) return argv[i + 1];
  }
  return fallback;
}

bool HasFlag(int argc, char** argv, const std::string& name) {
  for (int i = 1; i < argc; ++i) {
    if (name == argv[i]) return true;
  }
  return false;
}

std::vector<int> IntList(const std::string& text) {
  std::vector<int> values;
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    int v = 0;
    if (!absl::SimpleAtoi(part, &v)) {
      std::fprintf(stderr, "not an integer list: %s\n", text.c_str());
      std::exit(2);
    }
    values.push_back(v);
  }
  return values;
}

void WriteJsonResult(int argc, char** argv, const std::string& name,
                     const rapidjson::StringBuffer& json) {
  const std::string dir =
      FlagValue(argc, argv, "--out", ARXIV_DIGEST_SOURCE_DIR "/bench/results");
  std::filesystem::create_directories(dir);
  const std::string path = absl::StrCat(dir, "/", name, ".json");
  std::ofstream(path) << json.GetString() << "\n";
  std::printf("\nJSON: %s\n", path.c_str());
}

std::string UtcNow() {
  std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buf;
}

std::string MachineDescription() {
  std::string cpu = "unknown CPU";
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (absl::StartsWith(line, "model name")) {
      cpu = std::string(
          absl::StripAsciiWhitespace(line.substr(line.find(':') + 1)));
      break;
    }
  }
  int64_t mem_kb = 0;
  std::ifstream meminfo("/proc/meminfo");
  while (std::getline(meminfo, line)) {
    absl::string_view v(line);
    if (absl::ConsumePrefix(&v, "MemTotal:")) {
      absl::ConsumeSuffix(&v, "kB");
      absl::SimpleAtoi(absl::StripAsciiWhitespace(v), &mem_kb);
    }
  }
  struct utsname u {};
  uname(&u);
  return absl::StrCat(cpu, ", ", std::thread::hardware_concurrency(),
                      " cores, ", mem_kb / (1024 * 1024), " GiB RAM, Linux ",
                      u.release);
}

void WriteBenchmarkHeader(JsonWriter& json, const std::string& name) {
  json.Key("benchmark");
  json.String(name.c_str());
  json.Key("utc");
  json.String(UtcNow().c_str());
  json.Key("machine");
  json.String(MachineDescription().c_str());
}

}  // namespace arxiv_digest::bench
