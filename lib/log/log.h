// Line-oriented logging to stderr: "2026-11-23T05:40:00.123Z INFO fetcher:
// message key=value" or, with LOG_FORMAT=json, one JSON object per line in
// which a number is a JSON number. Thread-safe; secrets must never be
// passed as fields.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace arxiv_digest {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// One key=value of a log line. A number (or a string that is a plain
// integer, as std::to_string writes counts) is written as a JSON number;
// anything else as a string.
struct LogField {
  LogField(std::string_view k, std::string v) : key(k), value(std::move(v)) {}
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v) : key(k), value(v) {}
  LogField(std::string_view k, bool v)
      : key(k), value(v ? "true" : "false"), kind(Kind::kLiteral) {}
  template <typename T,
            std::enable_if_t<
                std::is_arithmetic_v<T> && !std::is_same_v<T, bool>, int> = 0>
  LogField(std::string_view k, T v)
      : key(k),
        value(NumberText(static_cast<double>(v))),
        kind(Kind::kLiteral) {
    if constexpr (std::is_integral_v<T>) value = std::to_string(v);
  }

  enum class Kind { kText, kLiteral };
  std::string_view key;
  std::string value;
  Kind kind = Kind::kText;

 private:
  // Shortest text that reads back as the same double; NaN and infinities
  // (not JSON numbers) as null.
  static std::string NumberText(double v);
};

// The accepted LOG_LEVEL values ("" = info), or InvalidArgument naming
// LOG_LEVEL and the accepted values.
absl::StatusOr<LogLevel> ParseLogLevel(std::string_view value);

// Called once by main(): the service name and LOG_FORMAT/LOG_LEVEL. A bad
// LOG_LEVEL, or a LOG_FORMAT other than json/text, is an error naming it
// (logging is still set up, so that error itself can be logged in the
// right format).
absl::Status InitLogging(std::string_view service);

// Whether lines are JSON (LOG_FORMAT=json).
bool LogIsJson();

void Log(LogLevel level, std::string_view message,
         std::initializer_list<LogField> fields = {});

// The error that ends the process, whatever LOG_LEVEL says: under
// LOG_FORMAT=json a line with level FATAL and the fields, otherwise the
// plain "<service>: <message>" (then each field value that has several
// lines, e.g. a usage text, as it is).
void LogFatal(std::string_view message,
              std::initializer_list<LogField> fields = {});

inline void LogInfo(std::string_view m,
                    std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kInfo, m, f);
}
inline void LogWarning(std::string_view m,
                       std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kWarning, m, f);
}
inline void LogError(std::string_view m,
                     std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kError, m, f);
}
inline void LogDebug(std::string_view m,
                     std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kDebug, m, f);
}

}  // namespace arxiv_digest
