#include "lib/log/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

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

}  // namespace

void InitLogging(std::string_view service) {
  LogState& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  state.service = std::string(service);
  state.json = GetEnvOrEmpty("LOG_FORMAT") == "json";
  std::string level = GetEnvOrEmpty("LOG_LEVEL");
  if (level == "debug") state.min_level = LogLevel::kDebug;
  if (level == "warning") state.min_level = LogLevel::kWarning;
  if (level == "error") state.min_level = LogLevel::kError;
}

void Log(LogLevel level, std::string_view message,
         std::initializer_list<LogField> fields) {
  LogState& state = State();
  if (level < state.min_level) return;
  std::string line;
  if (state.json) {
    line = "{\"ts\":" + JsonQuote(Timestamp()) +
           ",\"level\":" + JsonQuote(LevelName(level)) +
           ",\"service\":" + JsonQuote(state.service) +
           ",\"msg\":" + JsonQuote(message);
    for (const LogField& f : fields) {
      line += "," + JsonQuote(f.first) + ":" + JsonQuote(f.second);
    }
    line += "}\n";
  } else {
    line = Timestamp() + " " + LevelName(level) + " " + state.service + ": " +
           std::string(message);
    for (const LogField& f : fields) {
      line += " " + std::string(f.first) + "=" + f.second;
    }
    line += "\n";
  }
  std::lock_guard<std::mutex> lock(state.mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace arxiv_digest
