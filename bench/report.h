// Output shared by the benchmark programs: a markdown table on stdout (what
// goes into the README) and a JSON file under bench/results/ (what tools and
// later runs compare against), plus the few flags every program takes.
#pragma once

#include <string>
#include <vector>

#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"

namespace arxiv_digest::bench {

class Table {
 public:
  explicit Table(std::vector<std::string> headers)
      : headers_(std::move(headers)) {}
  void AddRow(std::vector<std::string> cells) {
    rows_.push_back(std::move(cells));
  }
  std::string Markdown() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "12.35" for Fixed(12.345, 2).
std::string Fixed(double value, int digits);

// The value after `name` ("--day 2025-04-15"), or `fallback`.
std::string FlagValue(int argc, char** argv, const std::string& name,
                      const std::string& fallback);
bool HasFlag(int argc, char** argv, const std::string& name);
// "1,2,4,8" -> {1, 2, 4, 8}; exits with a message on anything else.
std::vector<int> IntList(const std::string& text);

using JsonWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

// Writes the JSON to "<--out or bench/results>/<name>.json" and says where.
void WriteJsonResult(int argc, char** argv, const std::string& name,
                     const rapidjson::StringBuffer& json);

// The machine, for the README: CPU model, cores, memory, kernel.
std::string MachineDescription();

// ISO-8601 UTC time of the run, for the JSON files.
std::string UtcNow();

// The keys every result file starts with: benchmark, utc, machine.
void WriteBenchmarkHeader(JsonWriter& json, const std::string& name);

}  // namespace arxiv_digest::bench
