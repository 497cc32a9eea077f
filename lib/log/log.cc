#include "lib/log/log.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "absl/strings/ascii.h"
#include "lib/config/config.h"
#include "lib/json/json_util.h"

namespace arxiv_digest {
namespace {

struct LogState {
  std::mutex mu;
  std::string service = "arxiv-digest";
  bool json = false;
  LogLevel min_level = LogLevel::kInfo;
};

LogState& State() {
  static LogState* state = new LogState();
  return *state;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARN";
    case LogLevel::kError:
      return "ERROR";
  }
  return "INFO";
}

std::string Timestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t secs = std::chrono::system_clock::to_time_t(now);
  int millis =
      static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                           now.time_since_epoch())
                           .count() %
                       1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];  // wide enough for any int the compiler can imagine
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, millis);
  return buf;
}

// A plain integer as std::to_string writes it: no sign but '-', no leading
// zero (an id like "0042" stays a string), at most 15 digits so that every
// JSON reader keeps it exact as a double.
bool IsPlainInteger(std::string_view s) {
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  if (s.empty() || s.size() > 15) return false;
  if (s.size() > 1 && s.front() == '0') return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string JsonValue(const LogField& f) {
  if (f.kind == LogField::Kind::kLiteral || IsPlainInteger(f.value)) {
    return f.value;
  }
  return JsonQuote(f.value);
}

void Write(const std::string& line) {
  LogState& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

std::string JsonLine(std::string_view level, std::string_view message,
                     std::initializer_list<LogField> fields) {
  std::string service;
  {
    LogState& state = State();
    std::lock_guard<std::mutex> lock(state.mu);
    service = state.service;
  }
  std::string line =
      "{\"ts\":" + JsonQuote(Timestamp()) + ",\"level\":" + JsonQuote(level) +
      ",\"service\":" + JsonQuote(service) + ",\"msg\":" + JsonQuote(message);
  for (const LogField& f : fields) {
    line += "," + JsonQuote(f.key) + ":" + JsonValue(f);
  }
  line += "}\n";
  return line;
}

}  // namespace

std::string LogField::NumberText(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  // The shortest of %.15g..%.17g that reads back exactly.
  for (int precision = 15; precision < 17; ++precision) {
    char shorter[32];
    std::snprintf(shorter, sizeof(shorter), "%.*g", precision, v);
    if (std::strtod(shorter, nullptr) == v) return shorter;
  }
  return buf;
}

absl::StatusOr<LogLevel> ParseLogLevel(std::string_view value) {
  const std::string level = absl::AsciiStrToLower(std::string(value));
  if (level.empty() || level == "info") return LogLevel::kInfo;
  if (level == "debug") return LogLevel::kDebug;
  if (level == "warning" || level == "warn") return LogLevel::kWarning;
  if (level == "error") return LogLevel::kError;
  return absl::InvalidArgumentError(
      "LOG_LEVEL: '" + std::string(value) +
      "' is not one of debug, info, warning, error");
}

absl::Status InitLogging(std::string_view service) {
  absl::StatusOr<LogLevel> level = ParseLogLevel(GetEnvOrEmpty("LOG_LEVEL"));
  // "json" or text (unset, empty or "text"): a typo such as "jsno" would
  // otherwise silently give text lines a log pipeline cannot parse.
  const std::string format = absl::AsciiStrToLower(GetEnvOrEmpty("LOG_FORMAT"));
  const bool json = format == "json";
  absl::Status status = level.status();
  if (status.ok() && !json && !format.empty() && format != "text") {
    status = absl::InvalidArgumentError("LOG_FORMAT: '" +
                                        GetEnvOrEmpty("LOG_FORMAT") +
                                        "' is not one of json, text");
  }
  LogState& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  state.service = std::string(service);
  state.json = json;
  state.min_level = level.ok() ? *level : LogLevel::kInfo;
  return status;
}

bool LogIsJson() {
  LogState& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  return state.json;
}

void Log(LogLevel level, std::string_view message,
         std::initializer_list<LogField> fields) {
  LogState& state = State();
  bool json;
  std::string service;
  {
    std::lock_guard<std::mutex> lock(state.mu);
    if (level < state.min_level) return;
    json = state.json;
    service = state.service;
  }
  if (json) {
    Write(JsonLine(LevelName(level), message, fields));
    return;
  }
  std::string line = Timestamp() + " " + LevelName(level) + " " + service +
                     ": " + std::string(message);
  for (const LogField& f : fields) {
    line += " " + std::string(f.key) + "=" + f.value;
  }
  line += "\n";
  Write(line);
}

void LogFatal(std::string_view message,
              std::initializer_list<LogField> fields) {
  if (LogIsJson()) {
    Write(JsonLine("FATAL", message, fields));
    return;
  }
  std::string service;
  {
    LogState& state = State();
    std::lock_guard<std::mutex> lock(state.mu);
    service = state.service;
  }
  std::string text = service + ": " + std::string(message) + "\n";
  for (const LogField& f : fields) {
    if (f.value.find('\n') != std::string::npos) text += f.value;
  }
  Write(text);
}

}  // namespace arxiv_digest
