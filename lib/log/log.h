// Line-oriented logging to stderr: "2026-11-23T05:40:00.123Z INFO fetcher:
// message key=value" or, with LOG_FORMAT=json, one JSON object per line.
// Thread-safe; secrets must never be passed as fields.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace arxiv_digest {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

using LogField = std::pair<std::string_view, std::string>;

// Called once by main(): the service name and LOG_FORMAT/LOG_LEVEL.
void InitLogging(std::string_view service);

void Log(LogLevel level, std::string_view message,
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
