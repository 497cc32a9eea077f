// The entries of the shared streams as structs, each with one codec. The
// field names are spelled only here. Decode validates every field (ids,
// dates, JSON size and nesting before parsing) and names the field in its
// InvalidArgument errors; unknown fields are ignored. Pure: no I/O, no
// Redis (the field list is what lib/redis StreamEntry::fields holds).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/ids.h"
#include "lib/core/paper.h"

namespace arxiv_digest::contract {

using StreamFields = std::vector<std::pair<std::string, std::string>>;

namespace stream_field {
inline constexpr char kRunId[] = "run_id";
inline constexpr char kArxivId[] = "arxiv_id";
inline constexpr char kPaper[] = "paper";
inline constexpr char kType[] = "type";
inline constexpr char kModel[] = "model";
inline constexpr char kScore[] = "score";
inline constexpr char kCallId[] = "call_id";
inline constexpr char kUsage[] = "usage";
inline constexpr char kStatus[] = "status";
inline constexpr char kCategories[] = "categories";
inline constexpr char kDate[] = "date";
inline constexpr char kMissingDays[] = "missing_days";
inline constexpr char kSourceStream[] = "source_stream";
inline constexpr char kSourceId[] = "source_id";
inline constexpr char kReason[] = "reason";
inline constexpr char kConsumer[] = "consumer";
}  // namespace stream_field

// Values of the scores stream's `type`.
namespace score_entry_type {
inline constexpr char kScore[] = "score";
inline constexpr char kUsage[] = "usage";
}  // namespace score_entry_type

// Bounds on JSON values inside entries, checked before parsing: RapidJSON
// parses recursively, so a deeply nested value would exhaust the stack.
inline constexpr size_t kMaxPaperJsonBytes = 1 << 20;
inline constexpr size_t kMaxSmallJsonBytes = 64 << 10;  // score, usage
inline constexpr int kMaxJsonDepth = 16;

// arxiv:papers: {run_id, arxiv_id, paper}. arxiv_id is paper.arxiv_id,
// version-less. (The api also wrote `profile`; nobody read it: not part of
// the contract.)
struct PaperEntry {
  RunId run_id;
  Paper paper;
};
StreamFields EncodePaperEntry(const PaperEntry& entry);
absl::StatusOr<PaperEntry> DecodePaperEntry(const StreamFields& fields);

// arxiv:scores, type=score: {type, run_id, arxiv_id, model, score}.
struct ScoreEntry {
  RunId run_id;
  std::string model;  // may be empty (older entries)
  Score score;        // score.arxiv_id: version-less
};
// arxiv:scores, type=usage: {type, run_id, call_id, model, usage}.
struct UsageEntry {
  RunId run_id;
  std::string call_id;  // "<first paper entry id>#<n>": unique per call
  std::string model;
  TokenUsage usage;
};
using ScoresEntry = std::variant<ScoreEntry, UsageEntry>;
StreamFields EncodeScoreEntry(const ScoreEntry& entry);
StreamFields EncodeUsageEntry(const UsageEntry& entry);
absl::StatusOr<ScoresEntry> DecodeScoresEntry(const StreamFields& fields);

// arxiv:runs: {run_id, status}: the run's size is known (or it failed).
struct RunEntry {
  RunId run_id;
  std::string status;  // lib/core/paper.h run_status
};
StreamFields EncodeRunEntry(const RunEntry& entry);
absl::StatusOr<RunEntry> DecodeRunEntry(const StreamFields& fields);

// arxiv:triggers: {run_id, categories, date}; categories comma-joined
// (empty: the configured ones), date empty for today's feeds.
struct TriggerEntry {
  RunId run_id;
  std::vector<std::string> categories;
  std::optional<Date> date;
  // Backfill the missed announcement days instead of fetching (written as
  // missing_days=1 only when set, so older fetchers see a plain trigger).
  bool missing_days = false;
};
StreamFields EncodeTriggerEntry(const TriggerEntry& entry);
absl::StatusOr<TriggerEntry> DecodeTriggerEntry(const StreamFields& fields);

// arxiv:dead-letter: {source_stream, source_id, reason, consumer} followed
// by the original entry's fields, bounded: at most kMaxDeadLetterFields of
// them, each value cut to kMaxDeadLetterValueBytes (the entry is kept for
// a human to read, not to be replayed byte for byte).
inline constexpr size_t kMaxDeadLetterFields = 32;
inline constexpr size_t kMaxDeadLetterValueBytes = 16 << 10;
struct DeadLetterEntry {
  std::string source_stream;
  std::string source_id;
  std::string reason;
  std::string consumer;
  StreamFields original;
};
StreamFields EncodeDeadLetterEntry(const DeadLetterEntry& entry);
absl::StatusOr<DeadLetterEntry> DecodeDeadLetterEntry(
    const StreamFields& fields);

// Size and nesting check of a JSON text before it is parsed; `field` names
// it in the error.
absl::Status CheckJsonBounds(std::string_view field, std::string_view json,
                             size_t max_bytes);

}  // namespace arxiv_digest::contract
