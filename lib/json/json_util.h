// Small JSON helpers on RapidJSON for untrusted input: every read checks
// presence and type (no operator[]), every parse checks errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/paper.h"
#include "rapidjson/document.h"

namespace arxiv_digest {

// A JSON string literal with quotes, escaping control characters.
std::string JsonQuote(std::string_view s);

// Nesting limit of ParseJson: far above any document this project reads,
// low enough that a recursive walk over a parsed value (RapidJSON's own
// Accept and CopyFrom recurse) cannot exhaust the stack.
inline constexpr int kMaxJsonNesting = 256;

// Parses untrusted JSON without recursion (RapidJSON's iterative parser:
// the recursive one overflows the stack on a deeply nested input), after
// refusing nesting deeper than `max_depth`.
absl::StatusOr<rapidjson::Document> ParseJson(std::string_view text,
                                              int max_depth = kMaxJsonNesting);

// InvalidArgument when `text` opens more than `max_depth` arrays/objects
// inside each other (brackets in strings do not count). A linear scan that
// needs no valid JSON, so it can run before any parse.
absl::Status CheckJsonNesting(std::string_view text, int max_depth);

// Typed lookups on an object value; nullopt when absent or of another type.
std::optional<std::string> GetString(const rapidjson::Value& obj,
                                     const char* key);
std::optional<int64_t> GetInt(const rapidjson::Value& obj, const char* key);
std::optional<double> GetDouble(const rapidjson::Value& obj, const char* key);
std::optional<bool> GetBool(const rapidjson::Value& obj, const char* key);
std::optional<std::vector<std::string>> GetStringArray(
    const rapidjson::Value& obj, const char* key);

// The wire form of papers, scores and usage inside Redis entries.
std::string PaperToJson(const Paper& paper);
absl::StatusOr<Paper> PaperFromJson(std::string_view json);
std::string ScoreToJson(const Score& score);
absl::StatusOr<Score> ScoreFromJson(std::string_view json);
// The usage record of one LLM call; a non-empty `model` (the model billed)
// is written too, so the digest header can name the model actually called.
std::string UsageToJson(const TokenUsage& usage, std::string_view model = {});
absl::StatusOr<TokenUsage> UsageFromJson(std::string_view json);

}  // namespace arxiv_digest
